/**
 * What the popup shows first, started before its views exist: the snapshot and the overview are
 * read here directly (local-snapshot.ts, local-overview.ts), with the worker as the fallback. Each answer is handed
 * out once.
 */
import type { AccountView, Snapshot } from '../lib/messages';
import { afterLock } from '../lib/messages';
import { call, onVaultLocked } from '../ui/client';
import { readSnapshotHere } from './local-snapshot';
import browser from '../lib/browser';
import { CONNECTOR_VIEWS_KEY } from '../background/account-view';
import { OVERVIEW_COPY_KEY } from '../background/overview-copy';

/** The snapshot being read, and whether a lock was heard since the read began. */
interface SnapshotRead {
  read: Promise<Snapshot>;
  lockedSince: boolean;
  stop: () => void;
}
let snapshot: SnapshotRead | null = null;

function readSnapshot(): Promise<Snapshot> {
  return readSnapshotHere().catch(() => call('vault/snapshot', null));
}

export function prefetchSnapshot(): void {
  if (snapshot) return;
  const started: SnapshotRead = { read: readSnapshot(), lockedSince: false, stop: () => undefined };
  // Until the page's lock screen listens (its effect runs after the first paint), a lock is noted here.
  started.stop = onVaultLocked(() => {
    started.lockedSince = true;
  });
  snapshot = started;
}

/**
 * The prefetched snapshot if there is one, else a fresh read. Handed out once and forgotten
 * here: a module-level reference would keep the decrypted entries alive after a lock. A lock
 * heard while it was read turns it into the locked snapshot.
 */
export function takeSnapshot(): Promise<Snapshot> {
  const taken = snapshot;
  snapshot = null;
  if (!taken) return readSnapshot();
  return taken.read.then((s) => {
    taken.stop();
    return taken.lockedSince ? afterLock(s) : s;
  }, (e: unknown) => {
    taken.stop();
    throw e;
  });
}

/** After a snapshot read here: tell the worker the vault was used (the auto-lock counts from the last use). */
export function noteOpened(): void {
  void call('vault/opened', null).catch(() => undefined);
}

let overview: Promise<AccountView[]> | null = null;

function readOverview(): Promise<AccountView[]> {
  // Asked for at once: the answer (30-50 ms while the browser opens the page) comes while the
  // code that reads it loads.
  // (The async function calls it at once, and turns a throw into a rejection.)
  const stored = (async () => browser.storage.session.get([CONNECTOR_VIEWS_KEY, OVERVIEW_COPY_KEY]))();
  stored.catch(() => undefined); // awaited below unless the module fails to load
  return import('./local-overview').then(async (m) => m.readOverviewHere(await stored)).catch(() => null)
    .then((views) => views ?? call('sessions/overview', null));
}

export function prefetchOverview(): void {
  overview ??= readOverview();
}

/** The prefetched overview if there is one, else a fresh read. */
export function takeOverview(): Promise<AccountView[]> {
  const p = overview ?? readOverview();
  overview = null;
  return p;
}
