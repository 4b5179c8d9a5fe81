/**
 * The Sessions tab's first paint without the worker: the overview's statuses as the worker copied
 * them to storage.session after its last write (src/background/overview-copy.ts), else from the
 * sessions database; with each account's connector part as the worker last wrote it to
 * storage.session (src/background/account-view.ts). Loaded only when the popup opens on that tab.
 */
import type { AccountView } from '../lib/messages';
import type { CachedStatus } from '../sessions/types';
import { openSessionsDb, readAccountsWithCache, toCachedStatus } from '../sessions/db';
import { accountView, connectorViewKey, CONNECTOR_VIEWS_KEY, type ConnectorView } from '../background/account-view';
import { OVERVIEW_COPY_KEY } from '../background/overview-copy';

async function statusesFromDb(): Promise<CachedStatus[]> {
  const db = await openSessionsDb();
  try {
    return (await readAccountsWithCache(db)).map(toCachedStatus);
  } finally {
    db.close();
  }
}

/**
 * The cached overview, or null when an account has no connector view yet (the worker's overview
 * writes them). `stored`: what storage.session holds under both keys, asked for by
 * prefetch.ts as the popup starts, while this module is still loading.
 */
export async function readOverviewHere(stored: Record<string, unknown>): Promise<AccountView[] | null> {
  const copy: unknown = stored[OVERVIEW_COPY_KEY];
  const statuses = Array.isArray(copy) ? (copy as CachedStatus[]) : await statusesFromDb();
  const connectors = (stored[CONNECTOR_VIEWS_KEY] ?? {}) as Record<string, ConnectorView>;
  const views: AccountView[] = [];
  for (const status of statuses) {
    const connector = connectors[connectorViewKey(status.account)];
    if (!connector) return null;
    views.push(accountView(status, connector));
  }
  return views;
}
