/**
 * Carrying "a shared parent-domain cookie was removed" from a clear of this browser into the
 * outcome the person reads. A clear can happen inside a connector (the generic connector clears
 * as its way of signing out) or in the engine's own local step, so the engine hands connectors a
 * LocalState that remembers what every clear reported.
 */
import type { LocalState, SharedCookies } from '../connectors/types';
import type { RevokeOutcome } from './types';

/** Merges reports: one entry per domain, each name once. */
export function mergeShared(...lists: (SharedCookies[] | undefined)[]): SharedCookies[] {
  const byDomain = new Map<string, Set<string>>();
  for (const entry of lists.flatMap((l) => l ?? [])) {
    const names = byDomain.get(entry.domain) ?? new Set<string>();
    for (const name of entry.names) names.add(name);
    byDomain.set(entry.domain, names);
  }
  return [...byDomain].map(([domain, names]) => ({ domain, names: [...names] }));
}

/** `local`, remembering the shared cookies its clears removed. */
export function recordingLocal(local: LocalState): { local: LocalState; shared(): SharedCookies[] } {
  let shared: SharedCookies[] = [];
  return {
    local: {
      cookieNames: (origin) => local.cookieNames(origin),
      ...(local.keepLogin && local.withKeptLogin && {
        keepLogin: local.keepLogin.bind(local),
        withKeptLogin: local.withKeptLogin.bind(local),
      }),
      async clear(origin) {
        const report = await local.clear(origin);
        // A malformed report must not break the sign-out it describes.
        if (Array.isArray(report?.shared)) shared = mergeShared(shared, report.shared);
        return report;
      },
    },
    shared: () => shared,
  };
}

/** The outcome, with the shared cookies added to any it already names (unchanged when there are none). */
export function withShared(outcome: RevokeOutcome, ...shared: (SharedCookies[] | undefined)[]): RevokeOutcome {
  const all = mergeShared(outcome.sharedCookies, ...shared);
  return all.length === 0 ? outcome : { ...outcome, sharedCookies: all };
}
