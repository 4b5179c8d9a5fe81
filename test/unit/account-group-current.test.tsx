// @vitest-environment happy-dom
/** A service whose list cannot end this browser's session (GitLab, Mastodon): the popup says so on that row. */
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Capabilities } from '../../src/connectors/types';
import type { AccountView } from '../../src/lib/messages';

// The row's password prompt reads errors through the page's client, which loads the polyfill.
vi.mock('../../src/lib/browser', () => ({ default: { runtime: { sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } } }));
const { AccountGroup } = await import('../../src/popup/AccountGroup');

function viewWith(can: Capabilities): AccountView {
  return {
    account: { id: 'acc-1', connectorId: 'gitlab', origin: 'https://gitlab.example.test', instanceUrl: 'https://gitlab.example.test', settings: {}, label: 'Work', linkedAt: 0 },
    connector: { id: 'gitlab', name: 'GitLab', manageUrl: 'https://gitlab.example.test/-/user_settings/active_sessions', can },
    result: {
      state: 'ok', fetchedAt: Date.now(), whoami: { account: 'alice', sessionId: 'current' },
      sessions: [
        { id: 'current', current: true, browser: 'Firefox', os: 'GNU/Linux', extra: {} },
        { id: '2::ab', current: false, browser: 'Chrome', os: 'Windows', extra: {} },
      ],
    },
  } as AccountView;
}

const noop = () => undefined;
const show = (view: AccountView, onKnown: (accountId: string, sessionId: string) => void = noop) =>
  render(<AccountGroup view={view} now={Date.now()} outcomes={[]} pending={null} fresh={new Set()} onAsk={noop} onConfirm={noop} onCancel={noop} onSignIn={async () => undefined} onKnown={onKnown} />, document.body);

afterEach(() => render(null, document.body));

describe('AccountGroup, this browser at a service that ends it only by signing out', () => {
  const can: Capabilities = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };

  it('offers "Sign out here", not "End", on this browser and says why; other rows keep "End"', () => {
    show(viewWith({ ...can, currentBySignOut: true }));
    const [here, other] = [...document.querySelectorAll('li.session')];
    expect([...here!.querySelectorAll('button')].map((b) => b.textContent)).toContain('Sign out here');
    expect([...here!.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('End');
    expect(here!.textContent).toContain('GitLab has no way to end this browser’s session from its list: Sign out here uses the site’s own sign-out.');
    expect([...other!.querySelectorAll('button')].map((b) => b.textContent)).toContain('End');
    expect(other!.textContent).not.toContain('no way to end');
    expect(document.querySelector('a[href="https://gitlab.example.test/-/user_settings/active_sessions"]')).not.toBeNull();
  });

  it('says nothing of the kind for a service that ends this browser like any session', () => {
    show(viewWith(can));
    expect(document.body.textContent).not.toContain('no way to end');
  });
});

describe('AccountGroup, sessions the watch does not recognise', () => {
  const can: Capabilities = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };

  it('marks them and offers “Known”, which names the session; the others have neither', () => {
    const known: [string, string][] = [];
    const view = { ...viewWith(can), unrecognised: ['2::ab'], known: [] } as AccountView;
    show(view, (a, s) => void known.push([a, s]));
    const [here, other] = [...document.querySelectorAll('li.session')];
    expect(here!.textContent).not.toContain('Unrecognised');
    expect([...here!.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Known');
    expect(other!.querySelector('.session-title')!.textContent).toContain('Unrecognised');
    const button = [...other!.querySelectorAll('button')].find((b) => b.textContent === 'Known')!;
    expect(button.getAttribute('aria-label')).toBe('Mark Chrome on Windows as known: it was you');
    button.click();
    expect(known).toEqual([[view.account.id, '2::ab']]);
  });
});

describe('AccountGroup, “Known” on any other session', () => {
  const can: Capabilities = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };
  const knownButton = (li: Element) => [...li.querySelectorAll('button')].find((b) => b.textContent === 'Known');

  it('is offered on an ordinary session the watch does not yet remember as the person’s, never on this browser’s', () => {
    const marked: [string, string][] = [];
    const view: AccountView = { ...viewWith(can), known: [] };
    show(view, (a, s) => void marked.push([a, s]));
    const [here, other] = [...document.querySelectorAll('li.session')];
    expect(other!.textContent).not.toContain('Unrecognised');
    expect(knownButton(here!)).toBeUndefined();
    knownButton(other!)!.click();
    expect(marked).toEqual([[view.account.id, '2::ab']]);
  });

  it('is offered on none before the watch first looked at the account (that look takes them all)', () => {
    show(viewWith(can));
    expect(document.querySelectorAll('li.session')).toHaveLength(2);
    expect([...document.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Known');
  });

  it('is not offered on a session already remembered as known', () => {
    show({ ...viewWith(can), known: ['2::ab'] } as AccountView);
    expect([...document.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Known');
  });

  it('is not offered on a stale list, which the watch cannot learn from', () => {
    const fresh = viewWith(can);
    const sessions = fresh.result?.state === 'ok' ? fresh.result.sessions! : [];
    show({ ...fresh, known: [], result: { state: 'error', kind: 'offline', message: 'offline' }, lastKnown: { sessions, fetchedAt: Date.now() } } as AccountView);
    expect(document.querySelectorAll('li.session')).toHaveLength(2);
    expect([...document.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Known');
  });
});

describe('AccountGroup, a service that hides the other sessions for now (better-auth past a day)', () => {
  const can: Capabilities = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };

  it('shows this browser, says why the others are hidden, never "no other sessions", and still offers ending them', () => {
    const base = viewWith(can);
    const result = { ...base.result, sessions: [{ id: 'current', current: true, browser: 'Firefox', os: 'GNU/Linux', extra: {} }], hidden: { key: 'connErr_baFresh', subs: ['gitlab.example.test'] } };
    show({ ...base, result } as AccountView);
    expect(document.querySelectorAll('li.session')).toHaveLength(1);
    const why = document.querySelector('p.unlisted')!;
    expect(why.textContent).toBe('gitlab.example.test shows your other sessions only to a sign-in less than a day old (better-auth’s default). Sign in there again to see them. “End all others” and “Sign out of site” work without that.');
    expect(document.body.textContent).not.toContain('No other sessions');
    const endOthers = [...document.querySelectorAll('.actions button')].find((b) => b.textContent === 'End all others')!;
    // Tabbing to the button, a screen reader hears why the others are not listed.
    expect(document.getElementById(endOthers.getAttribute('aria-describedby')!)).toBe(why);
  });

  it('keeps saying so over the last known list while the site cannot be reached, without offering what needs it', () => {
    const base = viewWith(can);
    const view = {
      ...base,
      result: { state: 'error', kind: 'offline', message: 'Could not reach the site.' },
      lastKnown: { sessions: [{ id: 'current', current: true, browser: 'Firefox', os: 'GNU/Linux', extra: {} }], fetchedAt: Date.now() - 60_000, hidden: { key: 'connErr_baFresh', subs: ['gitlab.example.test'] } },
    } as AccountView;
    show(view);
    expect(document.querySelector('p.unlisted')!.textContent).toBe('gitlab.example.test shows your other sessions only to a sign-in less than a day old (better-auth’s default). Sign in there again to see them.');
    expect(document.body.textContent).not.toContain('No other sessions');
    expect(document.querySelectorAll('.actions button')).toHaveLength(0);
  });
});
