// @vitest-environment happy-dom
/**
 * The popup after a sign-out at an identity provider: the apps marked as signing in through it are
 * named, and one button ends this browser's session at each through the engine's own sign-out (for
 * the reason given for the provider); nothing is offered after a failed provider sign-out.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../src/lib/messages';
import type { RevokeOutcome } from '../../src/sessions/types';

const t0 = Date.now();
const browserOnly = { list: true, revokeOne: true, revokeOthers: false, revokeAll: true, localSignOut: true };
const lists = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };
const view = (id: string, connectorId: string, origin: string, can: typeof lists, settings: Record<string, string> = {}, current = 'this-browser'): AccountView => ({
  account: { id, connectorId, origin, settings, label: id, linkedAt: 0 },
  connector: { id: connectorId, name: connectorId, manageUrl: `${origin}/`, can },
  result: { state: 'ok', fetchedAt: t0, whoami: { account: new URL(origin).host }, sessions: [{ id: current, current: true, extra: {} }, { id: 'elsewhere', current: false, extra: {} }] },
});
const views: AccountView[] = [
  view('idp', 'oidc', 'https://login.example.org', browserOnly),
  view('wiki', 'better-auth', 'https://wiki.example.org', lists, { signsInThrough: 'idp' }, 'mine'),
  view('blog', 'better-auth', 'https://blog.example.org', lists),
];

let providerOutcome: RevokeOutcome;
const calls: { type: string; body: unknown }[] = [];
vi.mock('../../src/lib/browser', () => ({
  default: { tabs: { create: vi.fn() }, runtime: { getURL: (p: string) => p, sendMessage: vi.fn(), onMessage: { addListener: vi.fn() } } },
}));
vi.mock('../../src/ui/client', async (original) => ({
  ...(await original<typeof import('../../src/ui/client')>()),
  call: vi.fn(async (type: string, body: unknown) => {
    calls.push({ type, body });
    switch (type) {
      case 'sessions/overview': return views;
      case 'sessions/refresh': return views.filter((v) => (body as { accountIds: string[] }).accountIds.includes(v.account.id));
      case 'sessions/jobs': return { running: null, last: null };
      case 'sessions/revoke': return (body as { accountId: string }).accountId === 'idp' ? providerOutcome : { status: 'confirmed', seen: 'Gone.' };
      default: return null;
    }
  }),
}));
const { SessionsView } = await import('../../src/popup/SessionsView');

const group = (name: RegExp) => [...document.querySelectorAll<HTMLElement>('section.account-group')].find((g) => name.test(g.getAttribute('aria-label') ?? ''))!;
const button = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].filter((b) => (b.getAttribute('aria-label') ?? b.textContent) === name).at(-1)!;
const offer = () => document.querySelector<HTMLElement>('[role=group][aria-label="Apps that sign in through this provider"]');

async function signOutOfProvider() {
  await act(async () => {
    render(<SessionsView />, document.body);
  });
  await vi.waitFor(() => expect(document.querySelectorAll('section.account-group')).toHaveLength(3));
  const idp = group(/login\.example\.org/);
  await act(async () => button(idp, 'Sign out here').click());
  await act(async () => button(idp, 'Sign out here').click());
  await vi.waitFor(() => expect(idp.querySelector('[data-outcome]:not([data-outcome=working])')).not.toBeNull());
}

beforeEach(() => {
  calls.length = 0;
});
afterEach(() => {
  render(null, document.body);
});

describe('after a provider sign-out', () => {
  it('names the apps that sign in through it, and signs this browser out of each in one step', async () => {
    providerOutcome = { status: 'confirmed', seen: 'Ended.' };
    await signOutOfProvider();
    expect(offer()?.textContent).toContain('wiki.example.org');
    expect(offer()?.textContent).not.toContain('blog.example.org');
    await act(async () => button(offer()!, 'Sign out of them too').click());
    const revokes = calls.filter((c) => c.type === 'sessions/revoke').map((c) => c.body);
    // This browser's own row at the app, for the reason given for the provider; never "all" of an app that lists other devices.
    expect(revokes).toEqual([
      { accountId: 'idp', target: { id: 'this-browser' }, reason: { kind: 'shared-computer' } },
      { accountId: 'wiki', target: { id: 'mine' }, reason: { kind: 'shared-computer' } },
    ]);
    await vi.waitFor(() => expect(group(/wiki\.example\.org/).querySelector('[data-outcome=confirmed]')).not.toBeNull());
    expect(offer()).toBeNull();
  });

  it('offers nothing after a failed provider sign-out', async () => {
    providerOutcome = { status: 'failed', kind: 'forbidden', message: 'refused' };
    await signOutOfProvider();
    expect(offer()).toBeNull();
  });
});
