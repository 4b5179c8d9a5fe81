/** What the background sends the popup for one account (src/background/account-view.ts). */
import { describe, expect, it } from 'vitest';
import { accountView, type ConnectorView } from '../../src/background/account-view';
import type { Session } from '../../src/connectors/types';
import type { LinkedAccount } from '../../src/sessions/types';

const account: LinkedAccount = { id: 'a1', connectorId: 'better-auth', origin: 'https://app.example', settings: {}, label: 'App', linkedAt: 1 };
const connector = { id: 'better-auth', name: 'Apps built on better-auth', manageUrl: 'https://app.example/', can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true } } as ConnectorView;
const own: Session = { id: 's1', current: true, extra: {} };
const offline = { state: 'error' as const, kind: 'offline' as const, message: 'Could not reach the site.' };

describe('accountView', () => {
  it('gives the last known list while a look fails, and says when it was made', () => {
    const v = accountView({ account, at: 2, result: offline, lastOk: { at: 1, result: { state: 'ok', sessions: [own], fetchedAt: 1, whoami: { account: 'me' } } } }, connector);
    expect(v.lastKnown).toEqual({ sessions: [own], fetchedAt: 1 });
  });

  it('keeps a last list that hid the others marked so: never read later as the whole list', () => {
    const hidden = { key: 'connErr_baFresh' as const, subs: ['app.example'] };
    const v = accountView({ account, at: 2, result: offline, lastOk: { at: 1, result: { state: 'ok', sessions: [own], hidden, fetchedAt: 1, whoami: { account: 'me' } } } }, connector);
    expect(v.lastKnown).toEqual({ sessions: [own], fetchedAt: 1, hidden });
  });
});
