/**
 * An account is stored before its first check (the check reads it like any linked account) and
 * removed again when that check fails. A worker stopped in between would leave a link nobody
 * checked, shown in the popup, in sign out everywhere and in the audit log. So a link under way
 * is marked in storage.local (it outlives the worker and a browser crash), and a worker that starts
 * unlinks what an earlier worker left marked.
 * Marks carry the worker that made them: a link begun by this worker while it sweeps is not swept.
 */

/** storage.local key: account id -> the id of the worker linking it. */
export const LINK_MARKS_KEY = 'revoke:linking';

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
  begin(accountId: string): Promise<void>;
  /** The link finished, kept or undone. */
  end(accountId: string): Promise<void>;
  /**
   * Unlinks every account an earlier worker left marked, through `unlink` (which must treat an
   * account already gone as done), then drops those marks. Returns the ids it unlinked.
   */
  sweep(unlink: (accountId: string) => Promise<void>): Promise<string[]>;
}

export function createLinkMarks({ storage, workerId }: LinkMarksDeps): LinkMarks {
  // One change at a time: two links at once must not each write back a list without the other.
  let queue: Promise<unknown> = Promise.resolve();
  const change = (edit: (marks: Record<string, string>) => void): Promise<void> => {
    const next = queue.then(async () => {
      const marks = read((await storage.get(LINK_MARKS_KEY))[LINK_MARKS_KEY]);
      edit(marks);
      await storage.set({ [LINK_MARKS_KEY]: marks });
    });
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    begin: (accountId) => change((marks) => void (marks[accountId] = workerId)),
    end: (accountId) => change((marks) => void delete marks[accountId]),
    async sweep(unlink) {
      const marks = read((await storage.get(LINK_MARKS_KEY))[LINK_MARKS_KEY]);
      const left = Object.keys(marks).filter((id) => marks[id] !== workerId);
      const unlinked: string[] = [];
      for (const id of left) {
        try {
          await unlink(id);
          unlinked.push(id);
        } catch (e) {
          // Kept marked: the next start tries again.
          console.error('Revoke: could not undo a link a stopped worker left unchecked', e);
        }
      }
      await change((now) => { for (const id of unlinked) if (now[id] !== workerId) delete now[id]; });
      return unlinked;
    },
  };
}

/** What storage holds, as marks; anything else counts as none. */
function read(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
