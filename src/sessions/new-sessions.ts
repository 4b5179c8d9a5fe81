/**
 * Which sessions stand out as new since the person last looked (by id). The watch (watch.ts) has
 * the stronger notion, "unrecognised" (a device or place never seen for the account): the popup
 * shows one mark per session, and "unrecognised" wins. Here, "new" means: listed now, but
 * not among the sessions the person was shown the last time they looked at this account in the
 * popup. The popup records what it showed ('sessions/seen'); the baseline is what was recorded
 * before this popup opened, so a badge stays while the person looks and is gone the next time.
 */
import type { Session } from '../connectors/types';

/** The most ids kept per account: far more than anyone's sessions, small enough for the cache. */
export const MAX_SEEN_IDS = 500;

/**
 * Ids of `sessions` that `seen` does not hold. Nothing is new on a first look (no baseline: every
 * session would be "new"), and this browser's own session never is.
 */
export function newSessionIds(sessions: readonly Session[], seen: readonly string[] | undefined): Set<string> {
  if (!seen) return new Set();
  const known = new Set(seen);
  return new Set(sessions.filter((s) => !s.current && !known.has(s.id)).map((s) => s.id));
}

/** The ids to record as seen after showing `sessions`. */
export function seenIds(sessions: readonly Session[]): string[] {
  return sessions.map((s) => s.id).slice(0, MAX_SEEN_IDS);
}
