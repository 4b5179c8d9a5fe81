/**
 * How long the audit log keeps records, and the pruning that holds it to that. Nothing is
 * dropped before its time: only records strictly older than the retention period go, oldest
 * first, in batches of their own transactions (a year of records must not hold the database
 * against a sign-out that wants to append).
 */
import type { SessionsDb } from './db';

const DAY = 86_400_000;

/** The periods offered, in days; 0 keeps every record. */
export const AUDIT_RETENTION_DAYS = [30, 90, 365, 730, 0] as const;
export type AuditRetentionDays = (typeof AUDIT_RETENTION_DAYS)[number];
export const DEFAULT_AUDIT_RETENTION_DAYS: AuditRetentionDays = 365;

export function isAuditRetention(v: unknown): v is AuditRetentionDays {
  return (AUDIT_RETENTION_DAYS as readonly unknown[]).includes(v);
}

/** Records before this time (unix ms) are past retention; null: none ever are. */
export function retentionCutoff(days: AuditRetentionDays, now: number): number | null {
  return days === 0 ? null : now - days * DAY;
}

export const PRUNE_BATCH = 200;

/**
 * Deletes the records older than `cutoff` (their `at` < cutoff), at most `batch` per transaction,
 * until none is left. Returns how many went.
 */
export async function pruneAudit(db: SessionsDb, cutoff: number, batch: number = PRUNE_BATCH): Promise<number> {
  let deleted = 0;
  for (;;) {
    const tx = db.transaction('audit', 'readwrite');
    // Keys are [at, id]: [cutoff] sorts after every [at < cutoff, id] and before every [cutoff, id].
    let cursor = await tx.store.index('by-at').openCursor(IDBKeyRange.upperBound([cutoff], true));
    let n = 0;
    while (cursor && n < batch) {
      await cursor.delete();
      n++;
      cursor = await cursor.continue();
    }
    await tx.done;
    deleted += n;
    if (n < batch) return deleted;
  }
}
