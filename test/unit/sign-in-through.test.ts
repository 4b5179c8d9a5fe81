import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { oidcConnector } from '../../src/connectors/oidc';
import { betterAuthConnector } from '../../src/connectors/better-auth';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, sessionsConnection } from '../../src/sessions/db';
import { appsSigningInThrough, appsToOffer, providerChoices, SIGNS_IN_THROUGH, signsInThroughProblem } from '../../src/sessions/sign-in-through';
import { SessionsError, type AccountResult, type LinkedAccount } from '../../src/sessions/types';

const account = (id: string, connectorId: string, settings: Record<string, string> = {}): LinkedAccount =>
  ({ id, connectorId, origin: `https://${id}.example`, label: id, settings, linkedAt: 1 });

const idp = account('idp', 'oidc');
const otherIdp = account('idp2', 'oidc');
const wiki = account('wiki', 'better-auth', { [SIGNS_IN_THROUGH]: 'idp' });
const forum = account('forum', 'discourse', { [SIGNS_IN_THROUGH]: 'idp' });
const chat = account('chat', 'matrix', { [SIGNS_IN_THROUGH]: 'idp2' });
const blog = account('blog', 'wordpress');
const all = [idp, otherIdp, wiki, forum, chat, blog];

const ok: AccountResult = { state: 'ok', sessions: [], fetchedAt: 1, whoami: { account: 'a' } };

describe('signs in through a provider', () => {
  it('offers only linked identity providers as the choice', () => {
    expect(providerChoices(all).map((a) => a.id)).toEqual(['idp', 'idp2']);
  });

  it('finds the apps marked for one provider, never the provider itself or another provider’s apps', () => {
    expect(appsSigningInThrough(all, 'idp').map((a) => a.id)).toEqual(['wiki', 'forum']);
    expect(appsSigningInThrough(all, 'idp2').map((a) => a.id)).toEqual(['chat']);
    expect(appsSigningInThrough([...all, account('self', 'oidc', { [SIGNS_IN_THROUGH]: 'self' })], 'self')).toEqual([]);
  });

  it('after a provider sign-out, offers the marked apps not known to be signed out, each with this browser’s session only; after a failed one, none', () => {
    const lists = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };
    const browserOnly = { list: true, revokeOne: true, revokeOthers: false, revokeAll: true, localSignOut: true };
    const here = { id: 's-here', current: true, extra: {} };
    const views = [
      { account: idp, connector: { can: browserOnly }, result: ok },
      // Lists its sessions: this browser's row, never "every session".
      { account: wiki, connector: { can: lists }, result: { ...ok, sessions: [{ id: 's-other', current: false, extra: {} }, here] } as AccountResult },
      { account: forum, connector: { can: lists }, result: { state: 'signed-out' } as AccountResult },
      { account: chat, connector: { can: lists }, result: ok },
      // Never looked at, but its sign-out of site is this browser only.
      { account: account('notes', 'generic', { [SIGNS_IN_THROUGH]: 'idp' }), connector: { can: browserOnly } },
      // Never looked at, and its sign-out of site would end every device: not offered.
      { account: account('git', 'gitlab', { [SIGNS_IN_THROUGH]: 'idp' }), connector: { can: lists } },
    ];
    expect(appsToOffer(views, 'idp', 'confirmed').map((a) => [a.account.id, a.target])).toEqual([['wiki', { id: 's-here' }], ['notes', 'all']]);
    expect(appsToOffer(views, 'idp', 'not-confirmed').map((a) => a.account.id)).toEqual(['wiki', 'notes']);
    expect(appsToOffer(views, 'idp', 'failed')).toEqual([]);
    expect(appsToOffer(views, 'idp2', 'confirmed')).toEqual([]);
  });

  it('accepts only a linked provider as what an app signs in through', () => {
    expect(signsInThroughProblem('better-auth', undefined, all)).toBeNull();
    expect(signsInThroughProblem('better-auth', '', all)).toBeNull();
    expect(signsInThroughProblem('better-auth', 'idp', all)).toBeNull();
    expect(signsInThroughProblem('better-auth', 'blog', all)).toMatch(/not linked/);
    expect(signsInThroughProblem('better-auth', 'gone', all)).toMatch(/not linked/);
    expect(signsInThroughProblem('oidc', 'idp', all)).toMatch(/does not sign in through another/);
  });

  it('the account store keeps the choice with the app, and refuses one naming no linked provider', async () => {
    const store = createAccountStore({
      db: sessionsConnection(() => openSessionsDb(`sign-in-through-${Math.random().toString(36).slice(2)}`)),
      connectorById: (id) => [oidcConnector, betterAuthConnector].find((c) => c.meta.id === id),
    });
    const provider = await store.add({ connectorId: 'oidc', instanceUrl: 'https://login.example.org' });
    const app = await store.add({ connectorId: 'better-auth', instanceUrl: 'https://app.example.org/api/auth', settings: { [SIGNS_IN_THROUGH]: provider.id } });
    expect((await store.get(app.id))?.settings[SIGNS_IN_THROUGH]).toBe(provider.id);
    const refused = await store.add({ connectorId: 'better-auth', instanceUrl: 'https://other.example.org/api/auth', settings: { [SIGNS_IN_THROUGH]: app.id } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SessionsError);
    expect((refused as SessionsError).code).toBe('invalid-input');
    expect((await store.list()).map((a) => a.id)).toEqual(expect.arrayContaining([provider.id, app.id]));
    expect(await store.list()).toHaveLength(2);
  });
});
