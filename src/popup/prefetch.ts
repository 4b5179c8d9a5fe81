/**
 * Requests the popup starts before its views exist, so the answers travel while
 * the views' code loads. Each prefetched answer is handed out once.
 */
import type { AccountView, Snapshot } from '../lib/messages';
import { call } from '../ui/client';

let snapshot: Promise<Snapshot> | null = null;

export function prefetchSnapshot(): void {
  snapshot ??= call('vault/snapshot', null);
}

/**
 * The prefetched snapshot if there is one, else a fresh request. Handed out once and forgotten
 * here: a module-level reference would keep the decrypted entries alive after a lock.
 */
export function takeSnapshot(): Promise<Snapshot> {
  const p = snapshot ?? call('vault/snapshot', null);
  snapshot = null;
  return p;
}

let overview: Promise<AccountView[]> | null = null;

export function prefetchOverview(): void {
  overview ??= call('sessions/overview', null);
}

/** The prefetched overview if there is one, else a fresh request. */
export function takeOverview(): Promise<AccountView[]> {
  const p = overview ?? call('sessions/overview', null);
  overview = null;
  return p;
}
