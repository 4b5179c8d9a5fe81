/**
 * What the engine's parts share (engine.ts puts them together): the dependencies, the time limit
 * and the words, a connector context per call, and the few records every part keeps (the cached
 * look, the audit record of an action).
 */
import { type Connector, type ConnectorContext, type SharedCookies } from '../connectors/types';
import { accountName } from './account-name';
import { batched } from './batch';
import { withTimeout, type Call } from './outcomes';
import { recordingLocal } from './shared-cookies';
import { dropCachedMany, readAccount, replaceCachedMany, type CacheRecord, type SessionsDb } from './db';
import {
  SessionsError, type AccountResult, type AuditAction, type AuditReason, type AuditRecord, type LinkedAccount, type RevokeOutcome, type SessionSnapshot,
} from './types';
import { say, type MessageKey, type PluralKey, type Said, type Sub } from '../i18n/t';

export const DEFAULT_TIMEOUT_MS = 15_000;

export interface SessionEngineDeps {
  /** Opens the database; pass one `sessionsConnection()` shared with the account store. */
  db: () => Promise<SessionsDb>;
  connectorById(id: string): Connector | undefined;
  /** A connector context for the account; `signal` aborts its requests (the engine aborts on timeout). */
  contextFor(account: LinkedAccount, signal: AbortSignal): ConnectorContext;
  now?: () => number;
  /**
   * Per account for `gather` (whoami and list together); per call (whoami, list, revoke, clear,
   * cookie check) for sign-outs. Default 15 s.
   */
  timeoutMs?: number;
  newId?: () => string;
  /**
   * Puts what a sign-out observed into words (RevokeOutcome.seen, kept in the audit log as it was
   * said). The worker passes the browser's i18n; the default is the same (src/i18n/t.ts).
   */
  words?: (said: Said) => string;
}

export interface Opened {
  ctx: ConnectorContext;
  call: Call;
  shared(): SharedCookies[];
}

export type Observation = Extract<AccountResult, { state: 'ok' | 'signed-out' }>;

/** A server step's outcome, what its check observed, and what the connector learned for next time. */
export interface ServerResult {
  outcome: RevokeOutcome;
  observed?: Observation;
  learned?: Record<string, string>;
}

export const SIGNED_OUT: Observation = { state: 'signed-out' };

export interface ServerOptions {
  /** The session was this browser's own (from the last listing): 'signed-out' afterwards then proves it ended. */
  wasCurrent?: boolean;
  /** A journal step found in state 'server-sent' on resume: the request may already have taken effect. */
  resumedAfterSend?: boolean;
  /** Called once the account was seen signed in, right before the request goes out (the journal's 'server-sent'). */
  beforeSend?: () => Promise<void>;
  /** The password the person typed for this request (user-interactive auth). */
  password?: string;
}

export type EngineCore = ReturnType<typeof createEngineCore>;

export function createEngineCore(deps: SessionEngineDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const words = deps.words ?? say;
  const w = (key: MessageKey, ...subs: Sub[]) => words({ key, subs });
  const wp = (plural: PluralKey, count: number, ...subs: Sub[]) => words({ plural, count, subs });

  // Group commit (batch.ts): accounts running in parallel share transactions instead of queueing.
  const keepCached = batched(async (records: CacheRecord[]) => {
    await replaceCachedMany(await deps.db(), records);
    return records;
  });
  const dropCache = batched(async (ids: string[]) => {
    await dropCachedMany(await deps.db(), ids);
    return ids;
  });

  /**
   * A context with its own AbortController, a wrapper that bounds each call with the timeout, and
   * the shared parent-domain cookies its clears removed so far (connectors clear too).
   */
  function open(account: LinkedAccount, password?: string): Opened {
    const controller = new AbortController();
    const call: Call = (task, ms = timeoutMs) => withTimeout(ms, controller, task);
    const ctx = deps.contextFor(account, controller.signal);
    const recorded = recordingLocal(ctx.local);
    return { ctx: { ...ctx, local: recorded.local, ...(password ? { password } : {}) }, call, shared: recorded.shared };
  }

  /** Keeps what a sign-out's check observed as the account's latest result. Only a convenience: failures are ignored. */
  async function remember(accountId: string, observation: Observation | undefined): Promise<void> {
    if (!observation) return;
    await keepCached({ accountId, at: now(), result: observation }).catch(() => undefined);
  }

  /** Drops the account's cached result; only a convenience, so failures are ignored. */
  function forgetCached(account: LinkedAccount): Promise<void> {
    return dropCache(account.id).then(() => undefined, () => undefined);
  }

  function auditRecord(
    account: LinkedAccount, action: AuditAction, outcome: RevokeOutcome, reason: AuditReason,
    extra: { session?: SessionSnapshot; jobId?: string } = {},
  ): AuditRecord {
    const record: AuditRecord = {
      id: newId(), at: now(), accountId: account.id, accountLabel: account.label, accountName: accountName(account, undefined, (who, host) => w('account_onHost', who, host)), connectorId: account.connectorId,
      origin: account.origin, action, outcome, reason,
    };
    if (extra.session) record.session = extra.session;
    if (extra.jobId !== undefined) record.jobId = extra.jobId;
    return record;
  }

  async function requireAccount(accountId: string): Promise<LinkedAccount> {
    const account = typeof accountId === 'string' ? await readAccount(await deps.db(), accountId) : undefined;
    if (!account) throw new SessionsError('not-found', 'That account is no longer linked.', { key: 'account_gone' });
    return account;
  }

  return { deps, now, newId, timeoutMs, words, w, wp, open, remember, forgetCached, auditRecord, requireAccount };
}
