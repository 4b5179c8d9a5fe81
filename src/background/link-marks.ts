/**
 * An account is stored before its first check (the check reads it like any linked account) and
 * removed again when that check fails. A worker stopped in between would leave a link nobody
 * checked, shown in the popup, in sign out everywhere and in the audit log, with its host
 * permission kept. So a link under way is marked in storage.local (it outlives the worker and a
 * browser crash) from its permission check on, and a worker that starts settles what an earlier
 * worker left marked (session-handlers.ts: undone unless its check had passed, the grant given back).
 * Marks carry the worker that made them: a link begun by this worker is never swept by it.
 */

/** storage.local key: account id -> the link under way. */
export const LINK_MARKS_KEY = 'revoke:linking';

export interface LinkMark {
  accountId: string;
  /** The origin whose permission the link was granted. */
  origin: string;
}

interface Stored {
  worker: string;
  origin: string;
}

export interface LinkMarksDeps {
  storage: {
    get(key: string): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
  };
  /** This worker's id, new at every start. */
  workerId: string;
}

export interface LinkMarks {
  /** Marks the account as being linked (resolves once the mark is stored). */
  begin(accountId: string, origin: string): Promise<void>;
  /** The link finished, kept or undone. */
  end(accountId: string): Promise<void>;
  /**
   * Settles every link an earlier worker left marked, through `settle`, then drops those marks.
   * Returns the ids it settled; a mark whose `settle` threw stays, for the next start.
   */
  sweep(settle: (mark: LinkMark) => Promise<void>): Promise<string[]>;
}

export function createLinkMarks({ storage, workerId }: LinkMarksDeps): LinkMarks {
  // One change at a time: two links at once must not each write back a list without the other.
  let queue: Promise<unknown> = Promise.resolve();
  const change = (edit: (marks: Record<string, Stored>) => void): Promise<void> => {
    const next = queue.then(async () => {
      const marks = read((await storage.get(LINK_MARKS_KEY))[LINK_MARKS_KEY]);
      edit(marks);
      await storage.set({ [LINK_MARKS_KEY]: marks });
    });
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    begin: (accountId, origin) => change((marks) => void (marks[accountId] = { worker: workerId, origin })),
    end: (accountId) => change((marks) => void delete marks[accountId]),
    async sweep(settle) {
      const marks = read((await storage.get(LINK_MARKS_KEY))[LINK_MARKS_KEY]);
      const left = Object.keys(marks).filter((id) => marks[id]!.worker !== workerId);
      const settled: string[] = [];
      for (const accountId of left) {
        try {
          await settle({ accountId, origin: marks[accountId]!.origin });
          settled.push(accountId);
        } catch (e) {
          // Kept marked: the next start tries again.
          console.error('Revoke: could not settle a link a stopped worker left unchecked', e);
        }
      }
      await change((now) => { for (const id of settled) if (now[id]?.worker !== workerId) delete now[id]; });
      return settled;
    },
  };
}

/** What storage holds, as marks; anything else counts as none. */
function read(value: unknown): Record<string, Stored> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, Stored] => {
    const m = e[1] as Partial<Stored> | null;
    return typeof m === 'object' && m !== null && typeof m.worker === 'string' && typeof m.origin === 'string';
  }));
}
