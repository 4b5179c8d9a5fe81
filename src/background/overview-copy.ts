/**
 * The Sessions tab's first paint without opening IndexedDB: the worker keeps the overview's
 * statuses (what `engine.cached()` reads) in storage.session, memory only, beside the connector
 * views (account-view.ts), and the popup reads both in one call (src/popup/local-overview.ts).
 *
 * The copy is never read once a write has begun. Every write to the stores the overview reads
 * (sessions/db.ts, `overviewWrite`) removes it first: the removal is sent before the write's
 * first request. Once no write has been under way for a moment (settleMs), the copy is read again
 * from the database and put back; a read that a write overtook is dropped, and the write that
 * overtook it reads again. A worker stopped between the two leaves no copy, and a browser start
 * empties storage.session: the popup then reads the database, as before, until the worker fills
 * the copy again as it starts (`fill`).
 * storage.session keeps a context's calls in order, so a removal sent after a put lands after it.
 */
import type { OverviewWrites } from '../sessions/db';
import type { CachedStatus } from '../sessions/types';

/** storage.session key: the statuses, as `engine.cached()` gives them. */
export const OVERVIEW_COPY_KEY = 'sessionsOverview';

export interface OverviewCopyDeps {
  session: {
    get(key: string): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
    remove(key: string): Promise<void>;
  };
  /** The overview as the database holds it now. */
  read(): Promise<CachedStatus[]>;
  /**
   * How long no write must begin before the copy is put back (ms). An audit or a look at 50
   * accounts writes in many small batches: reading everything after each one would cost a read
   * per batch and hold the next batch's write back.
   */
  settleMs?: number;
}

/** Long enough for a look's batches to follow each other, short next to a person reopening the popup. */
export const OVERVIEW_SETTLE_MS = 150;

export interface OverviewCopy extends OverviewWrites {
  /** Puts the copy back if there is none and no write is under way (the worker calls it as it starts). */
  fill(): Promise<void>;
}

export function createOverviewCopy({ session, read, settleMs = OVERVIEW_SETTLE_MS }: OverviewCopyDeps): OverviewCopy {
  let writing = 0;
  /** Counts the writes begun: a read taken across a write's begin is not put back. */
  let generation = 0;

  /** Puts the copy back from the database, unless a write began since `at`. */
  async function putBack(at: number): Promise<void> {
    const statuses = await read();
    if (writing > 0 || generation !== at) return;
    await session.set({ [OVERVIEW_COPY_KEY]: statuses });
  }

  return {
    async fill() {
      const at = generation;
      const held = await session.get(OVERVIEW_COPY_KEY);
      // A write begun meanwhile puts it back when it ends.
      if (held[OVERVIEW_COPY_KEY] !== undefined || writing > 0 || generation !== at) return;
      await putBack(at);
    },
    begin() {
      writing++;
      generation++;
      // Not awaited: the write must not wait on it, and it is sent before the write's requests.
      const said = (e: unknown) => console.error('Revoke: could not remove the sessions overview copy', e);
      try {
        session.remove(OVERVIEW_COPY_KEY).catch(said);
      } catch (e) {
        said(e);
      }
    },
    end() {
      writing--;
      if (writing > 0) return;
      const at = generation;
      setTimeout(() => {
        // A write begun since puts it back itself. Best effort: without a copy, the popup reads the database.
        if (writing === 0 && generation === at) putBack(at).catch(() => undefined);
      }, settleMs);
    },
  };
}
