/**
 * "Any site" through the live page (sign-out/live-sign-out.ts), against scripted background tabs:
 * what it presses, when it refuses to press, and how the proof tells a refused old login from one
 * still accepted, including a page that shows "Log in" while it still asks its server.
 */
import { describe, expect, it } from 'vitest';
import { signOutInTab } from '../../src/connectors/sign-out/live-sign-out';
import type { Search } from '../../src/connectors/sign-out/site-sign-out';
import { ConnectorError, type ConnectorContext, type KeptLogin, type SiteTab, type SiteTabs } from '../../src/connectors/types';
import type { LivePage } from '../../src/lib/live-controls';

const ORIGIN = 'https://app.example';
const SEARCH: Search = { found: null, looked: ['/'], refused: [], scriptOnlyAt: null };

const view = (labels: string[], loaded = 1): LivePage => ({
  url: `${ORIGIN}/`, loaded, passwordField: false,
  controls: labels.map((label, index) => ({ index, texts: [label], href: null, visible: true })),
});

/** Each tab opened gets the next script: what it shows `ms` after it opened. */
function scriptedTabs(scripts: ((ms: number) => LivePage | 'elsewhere' | null)[]) {
  const log = { opened: [] as string[], closed: 0, pressed: [] as string[] };
  const tabs: SiteTabs = {
    async open(url, task) {
      const script = scripts[log.opened.length]!;
      log.opened.push(url);
      const began = Date.now();
      let last: LivePage | null = null;
      const tab: SiteTab = {
        async read() {
          const v = script(Date.now() - began);
          if (v && v !== 'elsewhere') last = v;
          return v;
        },
        async press(index) {
          log.pressed.push(last!.controls[index]!.texts[0]!);
          return true;
        },
      };
      try {
        return await task(tab);
      } finally {
        log.closed++;
      }
    },
  };
  return { tabs, log };
}

function context() {
  const kept: KeptLogin = Object.freeze({ names: ['sid'] });
  const local = { putBack: 0, cleared: 0 };
  const ctx = {
    account: { id: 'a', connectorId: 'generic', origin: ORIGIN, settings: {} },
    signal: new AbortController().signal,
    now: () => Date.now(),
    local: {
      cookieNames: async () => ['sid'],
      keepLogin: async () => kept,
      async withKeptLogin<T>(_origin: string, handle: KeptLogin, task: () => Promise<T>) {
        expect(handle).toBe(kept);
        local.putBack++;
        return task();
      },
      clear: async () => {
        local.cleared++;
        return { shared: [] };
      },
    },
  } as unknown as ConnectorContext;
  return { ctx, local };
}

const signedIn = () => view(['Home', 'Sign out of all devices', 'Sign out']);

type Shown = { label: string; menu?: { expanded: boolean; avatar: boolean }; href?: string };
/** A page of controls, some of which say they open a menu. */
const page = (shown: Shown[], loaded = 1): LivePage => ({
  url: `${ORIGIN}/`, loaded, passwordField: false,
  controls: shown.map((c, index) => ({ index, texts: [c.label], href: c.href ?? null, visible: true, ...(c.menu && { menu: c.menu }) })),
});
const closed = { expanded: false, avatar: false };
/** A single-page app whose sign-out is drawn only once its account menu is open. */
function menuApp(pressed: () => string[], { staysSignedIn = false } = {}) {
  return () => {
    if (!staysSignedIn && pressed().includes('Sign out')) return page([{ label: 'Home' }, { label: 'Sign in' }]);
    const open = pressed().filter((p) => p === 'Account').length % 2 === 1;
    return page([
      { label: 'Home' },
      { label: 'Notifications', menu: closed },
      { label: 'Account', menu: { expanded: open, avatar: true } },
      ...(open ? [{ label: 'Settings' }, { label: 'Sign out' }] : []),
    ]);
  };
}
const signedOut = () => view(['Home', 'Sign in']);

describe('signing out through the live page', () => {
  it('presses the page’s own sign-out (not the look-alike), and confirms when the old login brings back a sign-in that stays', async () => {
    const { tabs, log } = scriptedTabs([
      (ms) => (ms < 300 ? null : log.pressed.length === 0 ? signedIn() : signedOut()),
      () => signedOut(),
    ]);
    const { ctx, local } = context();
    const proof = await signOutInTab(ctx, tabs, SEARCH);
    expect(log.pressed).toEqual(['Sign out']);
    expect(log).toMatchObject({ opened: [`${ORIGIN}/`, `${ORIGIN}/`], closed: 2 });
    expect(proof).toMatchObject({ oldLoginRefused: true, seen: expect.stringMatching(/in a background tab, with the site's own “Sign out” button \(on \/\).*asked to sign in/) });
    expect(local).toEqual({ putBack: 1, cleared: 1 });
    // Remembered for next time: the page the button is on, never a token.
    expect(JSON.parse(proof.learned!.learnedSignOut!)).toEqual({ how: 'button', path: '/', label: 'Sign out', page: '/' });
  });

  it('reports not confirmed when the old login, put back, shows the sign-out again', async () => {
    const { tabs } = scriptedTabs([(() => { let n = 0; return () => (n++ === 0 ? signedIn() : signedOut()); })(), () => signedIn()]);
    const proof = await signOutInTab(context().ctx, tabs, SEARCH);
    expect(proof).toMatchObject({ oldLoginRefused: false, seen: expect.stringMatching(/still showed its sign-out “Sign out”.*still accepts that login and keeps sessions until they expire/) });
    expect(proof.learned).toBeUndefined();
  });

  it('does not take a “Log in” shown while the page still loads for a refusal: the sign-out that follows wins', async () => {
    const { tabs } = scriptedTabs([
      (() => { let n = 0; return () => (n++ === 0 ? signedIn() : signedOut()); })(),
      (ms) => (ms < 1_200 ? view(['Log in'], 1) : view(['Log out'], 2)),
    ]);
    const proof = await signOutInTab(context().ctx, tabs, SEARCH);
    expect(proof.oldLoginRefused).toBe(false);
  });

  it('gives up on a page that is quiet and shows no sign-out, without waiting out the whole bound', async () => {
    const { tabs, log } = scriptedTabs([() => view(['Home', 'Settings'])]);
    const began = Date.now();
    await expect(signOutInTab(context().ctx, tabs, SEARCH)).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/pressed nothing there: the live page showed no sign-out either/) });
    expect(Date.now() - began).toBeLessThan(6_000);
    expect(log).toMatchObject({ pressed: [], closed: 1 });
  });

  it('says so when the page still shows its sign-out after the press, and the old login is still accepted', async () => {
    const { tabs, log } = scriptedTabs([() => signedIn(), () => signedIn()]);
    const proof = await signOutInTab(context().ctx, tabs, SEARCH);
    expect(log.pressed).toEqual(['Sign out']);
    expect(proof).toMatchObject({ oldLoginRefused: false, seen: expect.stringMatching(/button \(on \/\)\. The page still showed the button after it was pressed.*still accepts that login\. If/) });
  });

  it('presses nothing in a tab the site sent to another origin: this browser only, saying so', async () => {
    const { tabs, log } = scriptedTabs([() => 'elsewhere']);
    const { ctx, local } = context();
    const error = await signOutInTab(ctx, tabs, SEARCH).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/opened “\/” in a background tab and pressed nothing there: the tab went to another site/) });
    expect(log).toMatchObject({ pressed: [], closed: 1 });
    expect(local).toEqual({ putBack: 0, cleared: 0 });
  });

  it('presses nothing when the tab does not load, and says why', async () => {
    const tabs: SiteTabs = { open: () => Promise.reject(new ConnectorError('timeout', 'app.example did not finish loading in the background tab.')) };
    await expect(signOutInTab(context().ctx, tabs, SEARCH)).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/pressed nothing there: app\.example did not finish loading in the background tab\./) });
  });

  it('opens the account menu when no sign-out shows, then presses the sign-out it renders; never another menu', async () => {
    // The scripted page renders from what was pressed in it.
    const { tabs, log } = scriptedTabs([menuApp(() => log.pressed), () => page([{ label: 'Home' }, { label: 'Sign in' }])]);
    const proof = await signOutInTab(context().ctx, tabs, SEARCH);
    expect(log.pressed).toEqual(['Account', 'Sign out']);
    expect(proof).toMatchObject({ oldLoginRefused: true, seen: expect.stringMatching(/with the site's own “Sign out” button \(on \/, in its menu “Account”, which Revoke opened\)/) });
  });

  it('opens the account menu in the proof too: a sign-out inside it, shown again, means the old login is still accepted', async () => {
    const { tabs, log } = scriptedTabs([
      menuApp(() => log.pressed),
      // The old login put back: signed in still, the sign-out again only inside the menu.
      menuApp(() => log.pressed.slice(2), { staysSignedIn: true }),
    ]);
    const proof = await signOutInTab(context().ctx, tabs, SEARCH);
    expect(proof.oldLoginRefused).toBe(false);
    expect(log.pressed).toEqual(['Account', 'Sign out', 'Account']);
  });

  it('opens each account menu once and at most three, presses nothing else, and then gives up saying where it looked', async () => {
    const menus = ['User menu', 'Profil', 'Benutzermenü', 'Your account'].map((label) => ({ label, menu: closed }));
    const { tabs, log } = scriptedTabs([() => page([
      { label: 'Home' }, { label: 'Language', menu: closed }, { label: 'Help', menu: closed },
      { label: 'Account', menu: closed, href: `${ORIGIN}/account` }, // a link: it would leave the page
      { label: 'Sign in', menu: closed }, ...menus,
    ])]);
    await expect(signOutInTab(context().ctx, tabs, SEARCH)).rejects.toMatchObject({ kind: 'unsupported' });
    expect(log.pressed).toEqual(['User menu', 'Profil', 'Benutzermenü']);
  });
});
