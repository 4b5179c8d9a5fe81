// @vitest-environment happy-dom
/**
 * The popup's sessions view as a keyboard user meets it: this browser's session first with its own
 * action, the others by last activity, no button that cannot act, and focus kept after an action.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../src/lib/messages';
import type { Session } from '../../src/connectors/types';
import type { JobsView } from '../../src/sessions/types';

const can = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };
const t0 = Date.now();
const sessions: Session[] = [
  { id: 'old', current: false, browser: 'Firefox', os: 'Linux', lastActiveAt: t0 - 9e6, ip: '2001:0db8:0000:0000:0000:0000:0000:0000', extra: {} },
  { id: 'mine', current: true, browser: 'Chrome', os: 'Linux', lastActiveAt: t0 - 5e6, extra: {} },
  { id: 'recent', current: false, browser: 'Safari', os: 'iOS', lastActiveAt: t0 - 1e3, extra: {} },
];
const signedIn = (list: Session[]): AccountView => ({
  account: { id: 'a1', connectorId: 'better-auth', origin: 'https://app.example.com', settings: {}, label: 'Work', linkedAt: 0 },
  connector: { id: 'better-auth', name: 'better-auth', manageUrl: 'https://app.example.com/s', can },
  result: { state: 'ok', fetchedAt: t0, whoami: { account: 'demo@revoke.test' }, sessions: list },
  seen: ['old', 'mine'],
  known: ['old', 'mine'], // the watch has looked: 'recent' is since
});
const signedOut: AccountView = {
  account: { id: 'a2', connectorId: 'better-auth', origin: 'https://other.example.com', settings: {}, label: 'Other', linkedAt: 0 },
  connector: { id: 'better-auth', name: 'better-auth', manageUrl: 'https://other.example.com/s', can },
  result: { state: 'signed-out' },
};

let current: AccountView[] = [];
/** The site the tab behind the popup shows, if any (the "Link … at …" offer). */
let detected: unknown = null;
const linkedView: AccountView = {
  account: { id: 'a3', connectorId: 'discourse', origin: 'https://forum.example.org', settings: {}, label: 'Forum', linkedAt: 0 },
  connector: { id: 'discourse', name: 'Discourse forum', manageUrl: 'https://forum.example.org/my', can },
  result: { state: 'ok', fetchedAt: t0, whoami: { account: 'ann' }, sessions: [] },
};
const calls: { type: string; body: unknown }[] = [];
let lastJob: JobsView['last'] = null;
let panic = { enabled: false, permission: false, keep: [] as string[] };
vi.mock('../../src/lib/browser', () => ({
  default: { tabs: { create: vi.fn() }, permissions: { request: async () => true }, runtime: { getURL: (p: string) => p, sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } },
}));
vi.mock('../../src/ui/client', async (original) => ({
  ...(await original<typeof import('../../src/ui/client')>()),
  call: vi.fn(async (type: string, body: unknown) => {
    calls.push({ type, body });
    switch (type) {
      case 'sessions/overview': return current;
      case 'sessions/refresh': return current.filter((v) => (body as { accountIds: string[] }).accountIds.includes(v.account.id));
      case 'sessions/jobs': return { running: null, last: lastJob };
      case 'panic/state': return panic;
      case 'sessions/revoke':
        current = [signedIn(sessions.filter((s) => s.id !== 'recent')), signedOut];
        return { status: 'confirmed', seen: 'Revoke listed the sessions again and it is gone.' };
      case 'watch/known': {
        const id = (body as { sessionId: string }).sessionId;
        current = current.map((v) => (v.account.id === 'a1' ? { ...v, known: [...(v.known ?? []), id] } : v));
        return null;
      }
      case 'accounts/detect': return detected;
      case 'accounts/link':
        current = [...current, linkedView];
        return { account: linkedView.account, result: linkedView.result };
      default: return null;
    }
  }),
}));
const { SessionsView } = await import('../../src/popup/SessionsView');

beforeEach(() => {
  current = [signedIn(sessions), signedOut];
  calls.length = 0;
  detected = null;
});
afterEach(() => {
  render(null, document.body);
});

const group = (name: RegExp) => [...document.querySelectorAll<HTMLElement>('section.account-group')].find((g) => name.test(g.getAttribute('aria-label') ?? ''))!;
const buttons = (root: ParentNode) => [...root.querySelectorAll('button')].map((b) => b.getAttribute('aria-label') ?? b.textContent);
const button = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent) === name)!;

async function open() {
  await act(async () => {
    render(<SessionsView />, document.body);
  });
  await vi.waitFor(() => expect(document.querySelectorAll('li.session')).toHaveLength(3));
}

describe('SessionsView', () => {
  it('names the account as the service knows it, puts this browser first with "Sign out here", the others by last activity', async () => {
    await open();
    const g = group(/demo@revoke\.test on app\.example\.com/);
    expect(g.querySelector('h2')?.textContent).toBe('demo@revoke.test on app.example.com');
    expect([...g.querySelectorAll('li.session')].map((li) => li.getAttribute('data-session-id'))).toEqual(['mine', 'recent', 'old']);
    const mine = g.querySelector('.this-browser li.session')!;
    expect(buttons(mine)).toContain('Sign out here');
    expect(buttons(mine)).not.toContain('End session: Chrome on Linux');
  });

  it('marks only a session not shown last time as new, and records what was shown', async () => {
    await open();
    expect([...document.querySelectorAll('li.session.new')].map((li) => li.getAttribute('data-session-id'))).toEqual(['recent']);
    await vi.waitFor(() => expect(calls).toContainEqual({ type: 'sessions/seen', body: { accountId: 'a1', ids: ['old', 'mine', 'recent'] } }));
  });

  it('shows an IPv6 address compressed', async () => {
    await open();
    expect(document.querySelector('li.session[data-session-id=old]')!.textContent).toContain('2001:db8::/64');
    expect(document.body.textContent).not.toContain('0000');
  });

  it('offers no sign-out on an account that is signed out here', async () => {
    await open();
    const g = group(/Other on other\.example\.com/);
    expect(g.textContent).toContain('Not signed in on this browser.');
    expect(buttons(g)).not.toContain('Sign out of site');
    expect(buttons(group(/demo@revoke/))).toContain('Sign out of site');
  });

  it('after ending a session, focus is on the announced result, which says what ended, where and how Revoke knows', async () => {
    await open();
    await act(async () => button(document, 'End session: Safari on iOS').click());
    await act(async () => button(document, 'End session').click());
    await vi.waitFor(() => expect(document.querySelector('li.session[data-session-id=recent]')).toBeNull());
    const result = document.querySelector('[data-outcome=confirmed]')!;
    expect(result.textContent).toBe('✓ Ended the session on Safari on iOS at app.example.com. Revoke listed the sessions again and it is gone.');
    expect(document.activeElement).toBe(result);
    expect(result.closest('[role=status]')).not.toBeNull();
  });

  it('shows an account’s latest result only: an earlier one would contradict it', async () => {
    await open();
    await act(async () => button(document, 'End session: Safari on iOS').click());
    await act(async () => button(document, 'End session').click());
    await vi.waitFor(() => expect(document.querySelectorAll('[data-outcome]')).toHaveLength(1));
    await act(async () => button(document, 'End all others').click());
    await act(async () => button(document, 'End other sessions').click());
    await vi.waitFor(() => expect(calls.filter((c) => c.type === 'sessions/revoke')).toHaveLength(2));
    await vi.waitFor(() => expect([...document.querySelectorAll('[data-outcome]')].map((p) => p.textContent)).toEqual([expect.stringMatching(/other session/)]));
  });

  it('moves focus onto the last sign out everywhere’s details when opened, and back to "Details" when closed', async () => {
    lastJob = {
      jobId: 'j1', startedAt: t0 - 60_000, finishedAt: t0 - 50_000, confirmed: 1, notConfirmed: 0, failed: 0, serverSkipped: 0,
      perAccount: [{ accountId: 'a1', label: 'App', name: 'ann on app.example.com', server: { status: 'confirmed', seen: 'Gone.' }, local: { status: 'confirmed', seen: 'Cleared.' } }],
    };
    try {
      await open();
      const details = await vi.waitFor(() => button(document, 'Details') ?? Promise.reject(new Error('no Details')));
      await act(async () => details.click());
      expect(document.activeElement?.getAttribute('aria-label')).toBe('Sign out everywhere result');
      await act(async () => button(document, 'Close result').click());
      expect(document.activeElement).toBe(button(document, 'Details'));
    } finally {
      lastJob = null;
    }
  });

  it('puts the "set up panic" hint under the accounts, and the Panic button, once on, above them', async () => {
    await open();
    const order = () => [...document.querySelectorAll('[data-panic] button, li.session')].map((el) => (el.matches('li') ? 'session' : el.textContent));
    await vi.waitFor(() => expect(order().at(-1)).toBe('Set up panic'));
    expect(order()[0]).toBe('session');
  });

  it('names the buttons of two sessions that read alike apart, by where they signed in from', async () => {
    const twins: Session[] = [
      sessions[1]!,
      { id: 'u1', current: false, ip: '203.0.113.1', lastActiveAt: t0 - 1e3, extra: {} },
      { id: 'u2', current: false, ip: '198.51.100.2', lastActiveAt: t0 - 2e3, extra: {} },
    ];
    current = [signedIn(twins)];
    await open();
    const names = buttons(document).filter((n) => n?.startsWith('End session:'));
    expect(names).toEqual(['End session: Unknown device (203.0.113.1)', 'End session: Unknown device (198.51.100.2)']);
    // "Known" too; a session of its own kind keeps its plain name (the other tests' "End session: Safari on iOS").
    expect(buttons(document)).toContain('Mark Unknown device (203.0.113.1) as known: it was you');
  });

  it('records no list that hides the others as seen: shown again, they would all be "New"', async () => {
    const hiddenView = { ...signedIn([sessions[1]!]), result: { state: 'ok', fetchedAt: t0, whoami: { account: 'demo@revoke.test' }, sessions: [sessions[1]!], hidden: { key: 'connErr_baFresh', subs: ['app.example.com'] } } } as AccountView;
    current = [hiddenView, { ...signedIn(sessions), account: { ...signedIn(sessions).account, id: 'a4', origin: 'https://b.example.com' } }];
    await act(async () => render(<SessionsView />, document.body));
    // The full list of the other account is recorded; the hidden one never is.
    await vi.waitFor(() => expect(calls).toContainEqual({ type: 'sessions/seen', body: { accountId: 'a4', ids: ['old', 'mine', 'recent'] } }));
    expect(calls.filter((c) => c.type === 'sessions/seen' && (c.body as { accountId: string }).accountId === 'a1')).toEqual([]);
  });

  it('says "Up to date" only when every account could be looked at', async () => {
    const down: AccountView = { ...signedOut, account: { ...signedOut.account, id: 'a3' }, result: { state: 'error', kind: 'offline', message: 'Could not reach other.example.com.' } };
    current = [signedIn(sessions), down];
    await open();
    await vi.waitFor(() => expect(document.body.textContent).toContain('1 account could not be checked'));
    expect(document.body.textContent).not.toContain('Up to date');
  });

  it('after a cancelled confirm, focus returns to the button that asked', async () => {
    await open();
    await act(async () => button(document, 'End session: Safari on iOS').click());
    await act(async () => button(document, 'Cancel').click());
    expect(document.activeElement).toBe(button(document, 'End session: Safari on iOS'));
  });

  it('focuses the confirm button of every confirm step, not only the first one the page opens', async () => {
    await open();
    await act(async () => button(document, 'End session: Safari on iOS').click());
    expect(document.activeElement).toBe(button(document, 'End session'));
    await act(async () => button(document, 'Cancel').click());
    await act(async () => button(document, 'End all others').click());
    expect(document.activeElement).toBe(button(document, 'End other sessions'));
  });

  it('cancels a confirm step on Escape, focus back on the button that asked', async () => {
    await open();
    await act(async () => button(document, 'End session: Safari on iOS').click());
    await act(async () => {
      document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(button(document, 'End session')).toBeFalsy();
    expect(document.activeElement).toBe(button(document, 'End session: Safari on iOS'));
    expect(calls.some((c) => c.type === 'sessions/revoke')).toBe(false);
  });

  it('refuses "Other…" as a reason without words, and sends the words once given', async () => {
    await open();
    await act(async () => button(document, 'End session: Safari on iOS').click());
    const select = document.querySelector('select')!;
    await act(async () => {
      select.value = 'other';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => button(document, 'End session').click());
    expect(document.querySelector('[role=alert]')?.textContent).toMatch(/Write the reason in a few words/);
    expect(calls.some((c) => c.type === 'sessions/revoke')).toBe(false);
    // A visible label, not only a name for screen readers.
    const words = [...document.querySelectorAll('label')].find((l) => l.textContent?.startsWith('Reason in your words'))!.querySelector('input')!;
    await act(async () => {
      words.value = 'sold the phone';
      words.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => button(document, 'End session').click());
    expect(calls.find((c) => c.type === 'sessions/revoke')?.body).toMatchObject({ reason: { kind: 'other', text: 'sold the phone' } });
  });

  it('after "Known", the button goes and focus stays on its session’s row, not the page', async () => {
    await open();
    const known = button(document, 'Mark Safari on iOS as known: it was you');
    known.focus();
    await act(async () => known.click());
    await vi.waitFor(() => expect(buttons(document)).not.toContain('Mark Safari on iOS as known: it was you'));
    expect(calls).toContainEqual({ type: 'watch/known', body: { accountId: 'a1', sessionId: 'recent' } });
    expect(document.activeElement).not.toBe(document.body);
    expect(document.activeElement).toBe(document.querySelector('li.session[data-session-id=recent] button.session-main'));
  });

  it('after linking the site from the popup, the offer goes and focus is on the account it added', async () => {
    detected = { connectorId: 'discourse', service: 'Discourse forum', instanceUrl: 'https://forum.example.org', origin: 'https://forum.example.org' };
    await open();
    const offer = await vi.waitFor(() => button(document, 'Link Discourse forum at forum.example.org') ?? Promise.reject(new Error('no offer')));
    offer.focus();
    await act(async () => offer.click());
    await vi.waitFor(() => expect(group(/ann on forum\.example\.org/)).toBeDefined());
    await vi.waitFor(() => expect(document.activeElement).toBe(group(/ann on forum\.example\.org/).querySelector('h2')));
    expect(buttons(document)).not.toContain('Link Discourse forum at forum.example.org');
  });
});
