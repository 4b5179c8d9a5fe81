/**
 * The session engine's IndexedDB database, 'revoke-sessions' (apart from the vault's 'revoke',
 * so neither can block the other's upgrades): schema, upgrades and raw record access.
 *
 * Stores:
 *   accounts  keyPath 'id': LinkedAccount.
 *   cache     keyPath 'accountId': the last AccountResult of each account and when it was stored.
 *   journal   keyPath 'id': "sign out everywhere" jobs with each account's step state.
 *   audit     keyPath 'id': AuditRecord, append-only; indexes 'by-at' [at, id] and
 *             'by-account' [accountId, at, id] (the id settles ties, so paging never skips a record).
 *   watch     keyPath 'accountId' (version 2): WatchRecord, what the scheduled audit remembers of
 *             the account and its rules (see watch-store.ts).
 *
 * Records read back are checked for shape: anything on disk may have been altered, and an
 * account's origin decides which site's data gets cleared.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { recordFrom, type WatchRecord } from './watch-store';
import { eachInBatch } from './batch';
import { knownIds, unrecognisedIds, type WatchMemory } from './watch';
import type { AccountResult, AuditQuery, AuditRecord, CachedStatus, Job, JobStep, LastCheck, LinkedAccount } from './types';
import { sharedConnection } from '../lib/idb-connection';

export const DEFAULT_SESSIONS_DB_NAME = 'revoke-sessions';
/** The IndexedDB schema version (stores, keys, indexes). */
export const SESSIONS_DB_VERSION = 2;
/** Finished jobs kept for the UI; older ones are dropped when a job finishes (the audit trail keeps every step). */
export const FINISHED_JOBS_KEPT = 20;
export const MAX_AUDIT_PAGE = 1000;

export interface CacheRecord {
  accountId: string;
  /** Unix ms when the result was stored. */
  at: number;
  result: AccountResult;
  /**
   * While looks keep failing (offline, server down): the last successful one, so the person
   * still sees what was known and since when, next to the failure.
   */
  lastOk?: { at: number; result: Extract<AccountResult, { state: 'ok' }> };
  /** Ids of the sessions the person was last shown in the popup (what "new" is measured against). */
  seen?: string[];
}

interface SessionsSchema extends DBSchema {
  accounts: { key: string; value: LinkedAccount };
  cache: { key: string; value: CacheRecord };
  journal: { key: string; value: Job };
  audit: {
    key: string;
    value: AuditRecord;
    indexes: { 'by-at': [number, string]; 'by-account': [string, number, string] };
  };
  watch: { key: string; value: WatchRecord };
}

export type SessionsDb = IDBPDatabase<SessionsSchema>;

/** Each step takes the schema from one version to the next (see src/vault/store.ts). */
function upgrade(db: SessionsDb, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore('accounts', { keyPath: 'id' });
    db.createObjectStore('cache', { keyPath: 'accountId' });
    db.createObjectStore('journal', { keyPath: 'id' });
    const audit = db.createObjectStore('audit', { keyPath: 'id' });
    audit.createIndex('by-at', ['at', 'id']);
    audit.createIndex('by-account', ['accountId', 'at', 'id']);
  }
  if (oldVersion < 2) db.createObjectStore('watch', { keyPath: 'accountId' });
}

/**
 * Opens (creating or upgrading) the database. Closes itself when another context opens a newer
 * version, so the upgrade can proceed; use `sessionsConnection` to reopen on next use.
 * Needs the IndexedDB globals idb checks against; in Node, import 'fake-indexeddb/auto'.
 */
export async function openSessionsDb(
  name: string = DEFAULT_SESSIONS_DB_NAME,
  factory: IDBFactory = globalThis.indexedDB,
): Promise<SessionsDb> {
  const request = factory.open(name, SESSIONS_DB_VERSION);
  request.addEventListener('upgradeneeded', (event) => upgrade(wrap(request.result) as SessionsDb, event.oldVersion));
  const db = (await wrap(request)) as SessionsDb;
  db.addEventListener('versionchange', () => db.close());
  return db;
}

/**
 * One shared connection, opened on first use and opened again after it was closed (newer version
 * elsewhere, or by the browser). Give the same one to the account store and the engine.
 */
export function sessionsConnection(open: () => Promise<SessionsDb> = () => openSessionsDb()): () => Promise<SessionsDb> {
  return sharedConnection(open).get;
}

// ---- Writes to what the overview shows ------------------------------------------------------

/** Hears every write to the stores the Sessions overview reads (accounts, cache, watch) begin and end. */
export interface OverviewWrites {
  begin(): void;
  end(): void;
}

const overviewListeners = new WeakMap<SessionsDb, OverviewWrites>();

/** From now on `listener` hears this connection's overview writes (the worker's copy, src/background/overview-copy.ts). */
export function listenToOverviewWrites(db: SessionsDb, listener: OverviewWrites): SessionsDb {
  overviewListeners.set(db, listener);
  return db;
}

type OverviewStore = 'accounts' | 'cache' | 'watch';

/**
 * The one way to write accounts, cache or watch records: a readwrite transaction whose listener
 * hears it begin (before any of its requests) and end (committed or not). A unit test holds every
 * other readwrite transaction in src/ to the journal and the audit log.
 */
export function overviewWrite<N extends OverviewStore>(db: SessionsDb, store: N): IDBPTransaction<SessionsSchema, [N], 'readwrite'>;
export function overviewWrite<N extends OverviewStore[]>(db: SessionsDb, stores: N): IDBPTransaction<SessionsSchema, N, 'readwrite'>;
export function overviewWrite(db: SessionsDb, stores: OverviewStore | OverviewStore[]): unknown {
  const tx = db.transaction(stores as OverviewStore[], 'readwrite');
  const listener = overviewListeners.get(db);
  if (listener) {
    // The end is heard whatever happens next, so a write can never hold the copy away for good.
    tx.done.then(listener.end, listener.end);
    listener.begin();
  }
  return tx;
}

// ---- Shape checks --------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((x) => typeof x === 'string');

export function isLinkedAccount(v: unknown): v is LinkedAccount {
  return (
    isObject(v) &&
    typeof v.id === 'string' && v.id !== '' &&
    typeof v.connectorId === 'string' &&
    typeof v.origin === 'string' &&
    (v.instanceUrl === undefined || typeof v.instanceUrl === 'string') &&
    typeof v.label === 'string' &&
    isStringMap(v.settings) &&
    isTime(v.linkedAt)
  );
}

const RESULT_STATES: readonly unknown[] = ['ok', 'signed-out', 'error'];
const isCacheRecord = (v: unknown): v is CacheRecord =>
  isObject(v) && typeof v.accountId === 'string' && isTime(v.at) && isObject(v.result) && RESULT_STATES.includes(v.result.state);

const PLANS: readonly unknown[] = ['all', 'others', 'none'];
const STEP_STATES: readonly unknown[] = ['pending', 'server-sent', 'server-done', 'local-done'];
const isJobStep = (v: unknown): v is JobStep =>
  isObject(v) && typeof v.accountId === 'string' && isLinkedAccount(v.account) && PLANS.includes(v.plan) && STEP_STATES.includes(v.state);

export function isJob(v: unknown): v is Job {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    v.kind === 'sign-out-everywhere' &&
    isTime(v.startedAt) &&
    (v.finishedAt === undefined || isTime(v.finishedAt)) &&
    isObject(v.reason) &&
    Array.isArray(v.steps) &&
    v.steps.every(isJobStep)
  );
}

const byLinkedAt = (a: LinkedAccount, b: LinkedAccount) => a.linkedAt - b.linkedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// ---- Accounts and cache ------------------------------------------------------------------

/** Every well-formed account, oldest link first. */
export async function readAccounts(db: SessionsDb): Promise<LinkedAccount[]> {
  return ((await db.getAll('accounts')) as unknown[]).filter(isLinkedAccount).sort(byLinkedAt);
}

export async function readAccount(db: SessionsDb, id: string): Promise<LinkedAccount | undefined> {
  const value: unknown = await db.get('accounts', id);
  return isLinkedAccount(value) ? value : undefined;
}

/**
 * Merges settings a connector learned (what worked last time) into the account's, in one
 * transaction; nothing is written for an account unlinked meanwhile.
 */
export async function storeLearned(db: SessionsDb, id: string, learned: Readonly<Record<string, string>>): Promise<void> {
  const tx = overviewWrite(db, 'accounts');
  const account: unknown = await tx.store.get(id);
  if (isLinkedAccount(account)) await tx.store.put({ ...account, settings: { ...account.settings, ...learned } });
  await tx.done;
}

/** Several accounts from one snapshot, in the order asked (undefined for one not linked). */
export async function readAccountsById(db: SessionsDb, ids: readonly string[]): Promise<(LinkedAccount | undefined)[]> {
  const tx = db.transaction('accounts', 'readonly');
  const [values] = await Promise.all([Promise.all(ids.map((id) => tx.store.get(id))), tx.done]);
  return (values as unknown[]).map((v) => (isLinkedAccount(v) ? v : undefined));
}

/** Every account with its cached result (or undefined), from one snapshot. */
export async function readAccountsWithCache(db: SessionsDb): Promise<{ account: LinkedAccount; cached?: CacheRecord; watch?: WatchMemory }[]> {
  const tx = db.transaction(['accounts', 'cache', 'watch'], 'readonly');
  const [accounts, cache, watch] = await Promise.all([
    tx.objectStore('accounts').getAll(), tx.objectStore('cache').getAll(), tx.objectStore('watch').getAll(), tx.done,
  ]);
  const byId = new Map((cache as unknown[]).filter(isCacheRecord).map((c) => [c.accountId, c]));
  const watched = new Map((watch as unknown[]).filter(isObject).map((w) => [w.accountId, w]));
  return (accounts as unknown[])
    .filter(isLinkedAccount)
    .sort(byLinkedAt)
    .map((account) => {
      const w = watched.get(account.id);
      return { account, cached: byId.get(account.id), ...(w ? { watch: recordFrom(account.id, w).memory } : {}) };
    });
}

/** An account with its cached look as the engine and the pages see it (no look yet: `at` and `result` null). */
export function toCachedStatus({ account, cached, watch }: { account: LinkedAccount; cached?: CacheRecord | undefined; watch?: WatchMemory }): CachedStatus {
  if (!cached) return { account, at: null, result: null };
  const listed = cached.result.state === 'ok' && cached.result.sessions ? cached.result.sessions : [];
  const unrecognised = unrecognisedIds(watch, listed);
  // Only once the watch has looked: its first look takes every listed session as the person's, so
  // before it there is nothing to sort, and no list means "offer Known on none".
  const known = watch?.since !== undefined ? knownIds(watch, listed) : undefined;
  return {
    account, at: cached.at, result: cached.result, ...(cached.lastOk ? { lastOk: cached.lastOk } : {}), ...(cached.seen ? { seen: cached.seen } : {}),
    ...(unrecognised.length ? { unrecognised } : {}), ...(known ? { known } : {}),
  };
}

/** A failed look keeps the last successful one (from the previous record, or what it kept). */
function withLastOk(record: CacheRecord, previous: CacheRecord | undefined): CacheRecord {
  const { lastOk: _dropped, seen: _kept, ...rest } = record;
  const plain = withSeen(rest, previous);
  if (record.result.state !== 'error' || !previous) return plain;
  if (previous.result.state === 'ok') return { ...plain, lastOk: { at: previous.at, result: previous.result } };
  return previous.lastOk ? { ...plain, lastOk: previous.lastOk } : plain;
}

/** A new result keeps what the person was last shown: only the popup's 'sessions/seen' changes that. */
function withSeen(record: CacheRecord, previous: CacheRecord | undefined): CacheRecord {
  return previous?.seen ? { ...record, seen: previous.seen } : record;
}

/**
 * Stores results and their accounts' lastCheck, each result with its account's, all in one
 * transaction (a look at 50 accounts writes them as they come in; see batch.ts). Nothing is written
 * for an account unlinked meanwhile, nor over a newer result (two looks overlapping). Returns each
 * account as updated.
 */
export async function storeChecks(db: SessionsDb, checks: readonly { record: CacheRecord; lastCheck: LastCheck }[]): Promise<(LinkedAccount | undefined)[]> {
  const tx = overviewWrite(db, ['accounts', 'cache']);
  const accounts = tx.objectStore('accounts');
  const cache = tx.objectStore('cache');
  // A failed step aborts the transaction: the batch is then carried out one by one (batch.ts).
  const done = tx.done;
  done.catch(() => undefined);
  const out = await eachInBatch(checks, (c) => c.record.accountId, async ({ record, lastCheck }) => {
    const [account, previous] = await Promise.all([accounts.get(record.accountId), cache.get(record.accountId)]);
    if (!isLinkedAccount(account) || (isCacheRecord(previous) && previous.at > record.at)) return isLinkedAccount(account) ? account : undefined;
    const updated = { ...account, lastCheck, ...('whoami' in lastCheck && lastCheck.whoami ? { knownAs: lastCheck.whoami.account } : {}) };
    await Promise.all([cache.put(withLastOk(record, isCacheRecord(previous) ? previous : undefined)), accounts.put(updated)]);
    return updated;
  });
  await done;
  return out;
}

export async function readCached(db: SessionsDb, accountId: string): Promise<CacheRecord | undefined> {
  const value: unknown = await db.get('cache', accountId);
  return isCacheRecord(value) ? value : undefined;
}

/** Replaces cached results (after sign-outs observed a fresher state) in one transaction, except for accounts gone meanwhile. */
export async function replaceCachedMany(db: SessionsDb, records: readonly CacheRecord[]): Promise<void> {
  const tx = overviewWrite(db, ['accounts', 'cache']);
  const accounts = tx.objectStore('accounts');
  const cache = tx.objectStore('cache');
  const [linked, previous] = await Promise.all([
    Promise.all(records.map((r) => accounts.get(r.accountId))),
    Promise.all(records.map((r) => cache.get(r.accountId))),
  ]);
  await Promise.all([
    ...records.flatMap((r, i) => {
      const before = previous[i];
      return linked[i] === undefined ? [] : [cache.put(withSeen(r, isCacheRecord(before) ? before : undefined))];
    }),
    tx.done,
  ]);
}

/** Records which sessions the person was shown; nothing for an account without a cached result. */
export async function storeSeen(db: SessionsDb, accountId: string, ids: string[]): Promise<void> {
  const tx = overviewWrite(db, 'cache');
  const record: unknown = await tx.store.get(accountId);
  await Promise.all([...(isCacheRecord(record) ? [tx.store.put({ ...record, seen: ids })] : []), tx.done]);
}

/** Drops the cached results of several accounts in one transaction. */
export async function dropCachedMany(db: SessionsDb, accountIds: readonly string[]): Promise<void> {
  const tx = overviewWrite(db, 'cache');
  await Promise.all([...accountIds.map((id) => tx.store.delete(id)), tx.done]);
}

// ---- Journal -----------------------------------------------------------------------------

export async function putJob(db: SessionsDb, job: Job): Promise<void> {
  await db.put('journal', job);
}

/** Every well-formed job (a malformed one is never resumed). */
export async function readJobs(db: SessionsDb): Promise<Job[]> {
  return ((await db.getAll('journal')) as unknown[]).filter(isJob);
}

export interface StepUpdate {
  jobId: string;
  accountId: string;
  change: Partial<Pick<JobStep, 'state' | 'server' | 'local'>>;
  /** Appended in the same transaction as the change. */
  audit?: AuditRecord;
}

/**
 * Changes steps of jobs and appends their audit records, all in one transaction, so the journal
 * never says a step is done without the audit trail saying so too (or the reverse), and nothing
 * is written unless everything is. Each job is read, changed (updates in the order given) and
 * written back inside the transaction: IndexedDB runs readwrite transactions on a store one after
 * another, so no update is lost. Returns each update's job as written.
 */
export async function updateJobSteps(db: SessionsDb, updates: readonly StepUpdate[]): Promise<Job[]> {
  const tx = db.transaction(['journal', 'audit'], 'readwrite');
  const journal = tx.objectStore('journal');
  const fail = async (message: string): Promise<never> => {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error(message);
  };
  const jobIds = [...new Set(updates.map((u) => u.jobId))];
  const read: unknown[] = await Promise.all(jobIds.map((id) => journal.get(id)));
  const jobs = new Map<string, Job>();
  jobIds.forEach((id, i) => {
    const job = read[i];
    if (isJob(job)) jobs.set(id, job);
  });
  for (const { jobId, accountId, change } of updates) {
    const step = jobs.get(jobId)?.steps.find((s) => s.accountId === accountId);
    if (!step) return fail(`The journal has no step for account ${accountId} in job ${jobId}.`);
    Object.assign(step, change);
  }
  const audit = tx.objectStore('audit');
  await Promise.all([
    ...[...jobs.values()].map((job) => journal.put(job)),
    ...updates.flatMap((u) => (u.audit ? [audit.add(u.audit)] : [])),
    tx.done,
  ]);
  return updates.map((u) => jobs.get(u.jobId)!);
}

/** Marks a job finished and drops the oldest finished jobs beyond FINISHED_JOBS_KEPT. */
export async function finishJob(db: SessionsDb, jobId: string, at: number): Promise<Job> {
  const tx = db.transaction('journal', 'readwrite');
  const job: unknown = await tx.store.get(jobId);
  if (!isJob(job)) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error(`The journal has no job ${jobId}.`);
  }
  job.finishedAt ??= at;
  await tx.store.put(job);
  const finished = ((await tx.store.getAll()) as unknown[])
    .filter(isJob)
    .filter((j) => j.finishedAt !== undefined)
    .sort((a, b) => b.startedAt - a.startedAt);
  await Promise.all([...finished.slice(FINISHED_JOBS_KEPT).map((j) => tx.store.delete(j.id)), tx.done]);
  return job;
}

// ---- Audit -------------------------------------------------------------------------------

export async function appendAudit(db: SessionsDb, record: AuditRecord): Promise<void> {
  await db.add('audit', record);
}

/** Newest first. */
export async function listAudit(db: SessionsDb, query: AuditQuery): Promise<AuditRecord[]> {
  const limit = Math.min(Math.max(Math.trunc(Number(query.limit)) || 0, 0), MAX_AUDIT_PAGE);
  if (limit === 0) return [];
  const { before, accountId } = query;
  // A shorter array sorts before every longer one starting with it; an array sorts after every number and string.
  const beforeKey: IDBValidKey[] | undefined =
    before === undefined ? undefined : typeof before === 'number' ? [before] : [before.at, before.id];
  const tx = db.transaction('audit', 'readonly');
  let cursor = accountId === undefined
    ? await tx.store.index('by-at').openCursor(beforeKey ? IDBKeyRange.upperBound(beforeKey, true) : null, 'prev')
    : await tx.store
        .index('by-account')
        .openCursor(IDBKeyRange.bound([accountId], [accountId, ...(beforeKey ?? [[]])], false, true), 'prev');
  const out: AuditRecord[] = [];
  while (cursor && out.length < limit) {
    out.push(cursor.value);
    cursor = await cursor.continue();
  }
  await tx.done;
  return out;
}
