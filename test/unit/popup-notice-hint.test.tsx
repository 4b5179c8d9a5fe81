// @vitest-environment happy-dom
/** A clicked watch notification (Firefox) opens the popup on that session: Sessions tab, its account shown, the row focused and marked. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type AccountView } from '../../src/lib/messages';
import { NOTICE_HINT_KEY } from '../../src/lib/notice-hint';

const stored = new Map<string, unknown>();
vi.mock('../../src/lib/browser', () => ({
  default: {
    tabs: { create: vi.fn(), query: vi.fn(async () => []) },
    runtime: { getURL: (p: string) => `ext://id/${p}`, sendMessage: vi.fn(), onMessage: { addListener: vi.fn(), removeListener: vi.fn() } },
    storage: {
      session: {
        get: async (k: string | string[]) => Object.fromEntries([k].flat().filter((x) => stored.has(x)).map((x) => [x, structuredClone(stored.get(x))])),
        set: async (items: Record<string, unknown>) => { for (const [k, v] of Object.entries(items)) stored.set(k, v); },
        remove: async (k: string) => void stored.delete(k),
      },
    },
  },
}));

// Eight accounts: the one the notification names comes last, past the popup's first screen.
const view = (n: number): AccountView => ({
  account: { id: `acc-${n}`, connectorId: 'better-auth', origin: `https://site${n}.example`, settings: {}, label: `Site ${n}`, linkedAt: n },
  connector: { id: 'better-auth', name: 'better-auth', manageUrl: `https://site${n}.example/`, can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true } },
  result: {
    state: 'ok', fetchedAt: Date.now(), whoami: { account: `ada${n}` },
    sessions: [{ id: `mine-${n}`, current: true, browser: 'Firefox', extra: {} }, { id: `other-${n}`, current: false, browser: 'Safari', os: 'iOS', extra: {} }],
  },
});
const views = Array.from({ length: 8 }, (_, i) => view(i + 1));
vi.mock('../../src/ui/client', async (original) => ({
  ...(await original<typeof import('../../src/ui/client')>()),
  call: vi.fn(async (type: string, body: { accountIds?: string[] } | null) => {
    if (type === 'vault/snapshot') return { state: 'locked', settings: DEFAULT_SETTINGS };
    if (type === 'sessions/overview') return views;
    if (type === 'sessions/refresh') return views.filter((v) => body?.accountIds?.includes(v.account.id) ?? true);
    if (type === 'sessions/jobs') return { running: null, last: null };
    return null;
  }),
}));

const selectedTab = () => document.querySelector('[role=tab][aria-selected=true]')?.textContent;
const settle = () => act(async () => { for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0)); });

async function openPopup() {
  const { App } = await import('../../src/popup/App');
  await import('../../src/popup/SessionsView'); // the tab's code, loaded on demand in the popup
  await act(async () => {
    render(<App />, document.body);
  });
  await settle();
}

beforeEach(() => {
  localStorage.clear();
  // An authenticator exists and Codes was used last: without the hint, the popup opens on Codes.
  localStorage.setItem('revoke:vault-exists', '1');
  localStorage.setItem('revoke:popup-tab', 'codes');
  stored.clear();
});
afterEach(() => {
  render(null, document.body);
});

describe('popup opened from a watch notification', () => {
  it('shows the session the notification told about: Sessions tab, row focused and marked, the hint used up', async () => {
    stored.set(NOTICE_HINT_KEY, { accountId: 'acc-8', sessionId: 'other-8', at: Date.now() });
    await openPopup();
    await vi.waitFor(() => expect(document.querySelector('section[data-account-id="acc-8"]')).not.toBeNull());
    expect(selectedTab()).toBe('Sessions');
    await vi.waitFor(() => expect(document.activeElement?.closest('li.session')?.getAttribute('data-session-id')).toBe('other-8'));
    const marked = [...document.querySelectorAll('li.session.pointed')];
    expect(marked.map((li) => li.getAttribute('data-session-id'))).toEqual(['other-8']);
    expect(marked[0]!.getAttribute('aria-current')).toBe('true');
    expect(document.activeElement!.closest('section')!.getAttribute('data-account-id')).toBe('acc-8');
    expect(stored.has(NOTICE_HINT_KEY)).toBe(false);
    // The person's usual tab is not changed by it.
    expect(localStorage.getItem('revoke:popup-tab')).toBe('codes');
  });

  it('opens as usual with an old hint', async () => {
    stored.set(NOTICE_HINT_KEY, { accountId: 'acc-8', sessionId: 'other-8', at: Date.now() - 10 * 60_000 });
    await openPopup();
    expect(selectedTab()).toBe('Codes');
    expect(document.querySelector('li.session.pointed')).toBeNull();
  });

  it('opens as usual without a hint', async () => {
    await openPopup();
    expect(selectedTab()).toBe('Codes');
    expect(document.querySelector('li.session.pointed')).toBeNull();
  });

  it('stays on the session when the snapshot finds a vault the popup did not know of', async () => {
    // No "vault exists" mark: the popup starts on Sessions, and the snapshot (a locked vault) would turn it to Codes.
    localStorage.removeItem('revoke:vault-exists');
    stored.set(NOTICE_HINT_KEY, { accountId: 'acc-8', sessionId: 'other-8', at: Date.now() });
    await openPopup();
    await vi.waitFor(() => expect(document.querySelector('li.session.pointed')).not.toBeNull());
    await settle();
    expect(selectedTab()).toBe('Sessions');
    expect(localStorage.getItem('revoke:vault-exists')).not.toBeNull(); // the snapshot did arrive
  });
});
