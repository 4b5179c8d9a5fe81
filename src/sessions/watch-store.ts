/**
 * The 'watch' store of the sessions database (db.ts): per account, what the scheduled audit
 * remembers (watch.ts), the account's rules (rules.ts), and the new sign-ins it told about and
 * may still hear "That was me" or "End it" for. Checked for shape on the way out, like every record.
 *
 * Session ids are kept as the cache keeps them (some services' ids are their tokens: the same
 * trust as the cached lists beside them, never in storage.local). A notification carries only a
 * random key, never a session id.
 */
import { overviewWrite, type SessionsDb } from './db';
import { sanitizeRules, type AccountRules } from './rules';
import { EMPTY_MEMORY, MAX_REMEMBERED, type WatchMemory } from './watch';
import { eachInBatch } from './batch';
import type { Session } from '../connectors/types';
import { saidFrom } from './checks';

/** A new sign-in the person was told about: the notification's key and the session as listed. */
export interface WatchAlert {
  key: string;
  session: Session;
  at: number;
}

export interface WatchRecord {
  accountId: string;
  memory: WatchMemory;
  rules: AccountRules;
  alerts: WatchAlert[];
}

/** Alerts kept per account: the newest; older notifications are long gone from the screen. */
export const MAX_ALERTS = 20;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(-MAX_REMEMBERED) : []);
const time = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function memoryFrom(v: unknown): WatchMemory {
  if (!isObject(v)) return EMPTY_MEMORY;
  const m: WatchMemory = { sessions: strings(v.sessions), told: strings(v.told), devices: strings(v.devices), places: strings(v.places) };
  const since = time(v.since);
  if (since !== undefined) m.since = since;
  const lastRunAt = time(v.lastRunAt);
  if (lastRunAt !== undefined) m.lastRunAt = lastRunAt;
  const p = v.problem;
  if (isObject(p) && typeof p.kind === 'string' && typeof p.message === 'string' && time(p.since) !== undefined) {
    const hidden = saidFrom(p.hidden);
    m.problem = {
      kind: p.kind as NonNullable<WatchMemory['problem']>['kind'], message: p.message, since: p.since as number,
      ...(p.byRule === true && { byRule: true }),
      ...(hidden && { hidden }),
    };
  }
  return m;
}

const isAlert = (v: unknown): v is WatchAlert =>
  isObject(v) && typeof v.key === 'string' && time(v.at) !== undefined && isObject(v.session) && typeof v.session.id === 'string';

/** A stored record made whole (or a fresh one for an account the watch never looked at). */
export function recordFrom(accountId: string, v: unknown): WatchRecord {
  const r = isObject(v) ? v : {};
  return {
    accountId,
    memory: memoryFrom(r.memory),
    rules: sanitizeRules(r.rules),
    alerts: Array.isArray(r.alerts) ? r.alerts.filter(isAlert).slice(-MAX_ALERTS) : [],
  };
}

export async function readWatch(db: SessionsDb, accountId: string): Promise<WatchRecord> {
  return recordFrom(accountId, await db.get('watch', accountId));
}

export async function readAllWatch(db: SessionsDb): Promise<Map<string, WatchRecord>> {
  const all = (await db.getAll('watch')) as unknown[];
  return new Map(all.filter(isObject).filter((r) => typeof r.accountId === 'string').map((r) => [r.accountId as string, recordFrom(r.accountId as string, r)]));
}

/** A change to one account's record: given the record as stored, the record to write. */
export interface WatchChange {
  accountId: string;
  change: (r: WatchRecord) => WatchRecord;
}

/**
 * Changes accounts' records inside one transaction (read, change, write each), so an audit and a
 * "That was me" at the same moment do not lose each other's change, and an audit of 50 accounts
 * writes in one transaction rather than 50 in a row (see batch.ts). Nothing is written for an
 * account unlinked meanwhile. Returns each record as written (undefined: not linked).
 */
export async function updateWatches(db: SessionsDb, changes: readonly WatchChange[]): Promise<(WatchRecord | undefined)[]> {
  const tx = overviewWrite(db, ['accounts', 'watch']);
  // A failed step aborts the transaction: the batch is then carried out one by one (batch.ts).
  const done = tx.done;
  done.catch(() => undefined);
  const out = await eachInBatch(changes, (c) => c.accountId, async ({ accountId, change }) => {
    const [account, stored] = await Promise.all([tx.objectStore('accounts').get(accountId), tx.objectStore('watch').get(accountId)]);
    if (account === undefined) return undefined;
    const next = change(recordFrom(accountId, stored));
    const written = { ...next, accountId, alerts: next.alerts.slice(-MAX_ALERTS) };
    await tx.objectStore('watch').put(written);
    return written;
  });
  await done;
  return out;
}

/** One account's change (updateWatches). */
export async function updateWatch(db: SessionsDb, accountId: string, change: (r: WatchRecord) => WatchRecord): Promise<WatchRecord | undefined> {
  return (await updateWatches(db, [{ accountId, change }]))[0];
}
