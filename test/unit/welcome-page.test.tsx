// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../src/lib/messages';
import { withDomRoot } from './dom-root';

// The welcome page's background: one linked account, signed out until the person signs in elsewhere.
let signedIn = false;
const sent: { type: string; body: unknown }[] = [];
const view = (): AccountView => ({
  account: { id: 'a1', connectorId: 'better-auth', origin: 'http://127.0.0.1:8788', settings: {}, label: 'Apps built on better-auth (127.0.0.1:8788)', labelIsDefault: true, linkedAt: 1 },
  connector: { id: 'better-auth', name: 'Apps built on better-auth', can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true }, manageUrl: '' },
  fetchedAt: Date.now(),
  result: signedIn ? { state: 'ok', sessions: [], fetchedAt: Date.now(), whoami: { account: 'demo@revoke.test' } } : { state: 'signed-out' },
});
vi.mock('../../src/lib/browser', () => ({
  default: { tabs: { create: vi.fn() }, permissions: { request: async () => true }, runtime: { getURL: (p: string) => p, sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } },
}));
vi.mock('../../src/ui/client', () => ({
  call: async (type: string, body: unknown) => {
    sent.push({ type, body });
    if (type === 'sessions/overview' || type === 'sessions/refresh') return [view()];
    if (type === 'accounts/connectors') return [];
    return null;
  },
  errorText: (e: unknown) => String(e),
  onVaultLocked: () => () => undefined,
}));
const { App } = await import('../../src/welcome/App');

let root: HTMLElement;
withDomRoot((r) => (root = r));
const settle = () => act(async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r)); });
const card = () => root.querySelector('li[data-account-id=a1]')!;

beforeEach(() => {
  signedIn = false;
  sent.length = 0;
});

describe('the welcome page', () => {
  it('offers the re-check its "not signed in" line asks for, and shows what the site says then', async () => {
    await act(() => render(<App />, root));
    await settle();
    expect(card().textContent).toContain('Not signed in');
    signedIn = true;
    const recheck = card().querySelector<HTMLButtonElement>('button[aria-label="Re-check http://127.0.0.1:8788"]')!;
    await act(async () => recheck.click());
    await settle();
    expect(sent).toContainEqual({ type: 'sessions/refresh', body: { accountIds: ['a1'] } });
    expect(card().textContent).toContain('demo@revoke.test');
    expect(card().textContent).toMatch(/checked/);
  });

  it('checks the linked accounts again when the person comes back to the page', async () => {
    await act(() => render(<App />, root));
    await settle();
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    signedIn = true;
    await act(async () => void window.dispatchEvent(new Event('focus')));
    await settle();
    vi.restoreAllMocks();
    expect(sent.filter((c) => c.type === 'sessions/refresh')).toHaveLength(1);
    expect(card().textContent).toContain('demo@revoke.test');
  });
});
