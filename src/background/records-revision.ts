/**
 * The vault records' revision, in storage.session beside the key: a fresh random value each time
 * the worker writes records (before and after the write) and at unlock. A page's copy of the sealed
 * records (src/ui/records-copy.ts) is trusted only while it carries the current value.
 */
import type { SessionArea } from './clipboard';

export const RECORDS_REVISION_KEY = 'vaultRecordsRevision';

export function recordsRevision(session: SessionArea, fresh: () => string = () => globalThis.crypto.randomUUID()) {
  return {
    /** Marks every copy out of date. */
    bump: () => session.set({ [RECORDS_REVISION_KEY]: fresh() }),
    /** The current revision, or null when none was set in this browser session. */
    async current(): Promise<string | null> {
      const v = (await session.get(RECORDS_REVISION_KEY))[RECORDS_REVISION_KEY];
      return typeof v === 'string' ? v : null;
    },
  };
}
