/**
 * Keeps the audit log within its retention setting: prunes when the worker starts, once a day by
 * an alarm (alarms outlive a stopped worker), and when the setting changes. One pruning at a time.
 */
import { isAuditRetention, pruneAudit, retentionCutoff, type AuditRetentionDays } from '../sessions/audit-retention';
import type { SessionsDb } from '../sessions/db';

export const AUDIT_PRUNE_ALARM = 'revoke/audit-prune';
const DAY_MINUTES = 24 * 60;

export interface PruneAlarms {
  get(name: string): Promise<unknown>;
  create(name: string, info: { delayInMinutes: number; periodInMinutes: number }): void | Promise<void>;
}

export function createAuditPruner(deps: {
  db: () => Promise<SessionsDb>;
  alarms: PruneAlarms;
  now: () => number;
  retentionDays: () => Promise<AuditRetentionDays>;
}) {
  let running: Promise<number> | null = null;

  async function prune(): Promise<number> {
    const days = await deps.retentionDays();
    const cutoff = retentionCutoff(isAuditRetention(days) ? days : 0, deps.now());
    return cutoff === null ? 0 : pruneAudit(await deps.db(), cutoff);
  }

  /** Prunes now; a call while one runs waits for that one and then runs again (the setting may have changed). */
  async function pruneNow(): Promise<number> {
    while (running) await running.catch(() => undefined);
    const mine = prune();
    running = mine;
    try {
      return await mine;
    } finally {
      if (running === mine) running = null;
    }
  }

  return {
    pruneNow,
    /** On worker start: the daily alarm (kept if it exists: a restart must not push it back), then a pruning. */
    async start(): Promise<number> {
      if (!(await deps.alarms.get(AUDIT_PRUNE_ALARM))) {
        await deps.alarms.create(AUDIT_PRUNE_ALARM, { delayInMinutes: DAY_MINUTES, periodInMinutes: DAY_MINUTES });
      }
      return pruneNow();
    },
    async onAlarm(name: string): Promise<number | null> {
      return name === AUDIT_PRUNE_ALARM ? pruneNow() : null;
    },
  };
}
