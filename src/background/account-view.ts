/**
 * An account as the pages show it: its cached look, and what its connector can do for it. The
 * connector part needs the connectors' code, which only the worker loads; the worker keeps each
 * account's connector part in storage.session (memory only), so the popup can build the same
 * views from the sessions database without waiting for the worker (src/popup/local-overview.ts).
 */
import type { AccountView } from '../lib/messages';
import type { CachedStatus, LinkedAccount } from '../sessions/types';

export type ConnectorView = AccountView['connector'];

/** storage.session key: connector views by `connectorViewKey`. */
export const CONNECTOR_VIEWS_KEY = 'connectorViews';

export function accountView(s: CachedStatus, connector: ConnectorView): AccountView {
  return {
    account: s.account,
    connector,
    ...(s.result ? { result: s.result, fetchedAt: s.at } : {}),
    ...('lastOk' in s && s.lastOk?.result.sessions ? { lastKnown: {
      sessions: s.lastOk.result.sessions, fetchedAt: s.lastOk.at,
      // A last list that hid the others still says so, stale or not.
      ...(s.lastOk.result.hidden ? { hidden: s.lastOk.result.hidden } : {}),
    } } : {}),
    ...('seen' in s && s.seen ? { seen: s.seen } : {}),
    ...('unrecognised' in s && s.unrecognised ? { unrecognised: s.unrecognised } : {}),
    ...('known' in s && s.known ? { known: s.known } : {}),
  };
}

/** Everything a connector view depends on: an account changed in any of these needs a new one. */
export function connectorViewKey(a: LinkedAccount): string {
  return JSON.stringify([a.id, a.connectorId, a.origin, a.instanceUrl ?? null, a.settings]);
}
