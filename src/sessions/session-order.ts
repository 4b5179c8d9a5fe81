/** How a session list is shown: this browser's session set apart, the others by last activity. */
import type { Session } from '../connectors/types';

export function arrangeSessions(sessions: readonly Session[]): { current: Session | undefined; others: Session[] } {
  return {
    current: sessions.find((s) => s.current),
    // Most recently active first; sessions without a time after those with one, in the service's order.
    others: sessions.filter((s) => !s.current).sort((a, b) => (b.lastActiveAt ?? -Infinity) - (a.lastActiveAt ?? -Infinity) || 0),
  };
}
