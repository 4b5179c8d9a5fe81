/**
 * Requests the popup starts before its views exist, so the answers travel while
 * the views' code loads. Each prefetched answer is handed out once.
 */
import type { AccountView } from '../lib/messages';
import { call } from '../ui/client';

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
