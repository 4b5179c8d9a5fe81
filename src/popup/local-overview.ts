/**
 * The Sessions tab's first paint without the worker: the cached looks from the sessions database,
 * with each account's connector part as the worker last wrote it to storage.session
 * (src/background/account-view.ts). Loaded only when the popup opens on that tab.
 */
import browser from '../lib/browser';
import type { AccountView } from '../lib/messages';
import { openSessionsDb, readAccountsWithCache, toCachedStatus } from '../sessions/db';
import { accountView, connectorViewKey, CONNECTOR_VIEWS_KEY, type ConnectorView } from '../background/account-view';

/** The cached overview, or null when an account has no connector view yet (the worker's overview writes them). */
export async function readOverviewHere(): Promise<AccountView[] | null> {
  const db = await openSessionsDb();
  try {
    const [rows, stored] = await Promise.all([readAccountsWithCache(db), browser.storage.session.get(CONNECTOR_VIEWS_KEY)]);
    const connectors = (stored[CONNECTOR_VIEWS_KEY] ?? {}) as Record<string, ConnectorView>;
    const views: AccountView[] = [];
    for (const row of rows) {
      const connector = connectors[connectorViewKey(row.account)];
      if (!connector) return null;
      views.push(accountView(toCachedStatus(row), connector));
    }
    return views;
  } finally {
    db.close();
  }
}
