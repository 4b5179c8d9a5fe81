/**
 * The session engine: looks at every linked account (who is signed in, which sessions exist),
 * ends sessions, and checks afterwards that they really ended. It never reports a sign-out it
 * did not observe: a request the service accepted is only 'confirmed' once the goal state is
 * seen (session no longer listed, signed out here, no cookies left).
 *
 * Domain code: connectors, their contexts (fetch, this browser's cookies) and storage come in
 * through `deps`.
 *
 * "Sign out everywhere" is journalled in IndexedDB before anything is sent, and each account's
 * step is recorded as it completes, so a service worker stopped halfway finishes the job when it
 * starts again (`resumeUnfinished`). Why re-running a step is safe is explained at `serverStep`.
 * Records that many accounts write at about the same time (steps, audit, cache drops, account
 * reads) go to the database in shared transactions (see batch.ts), each still committed before
 * the account's work goes on.
 *
 * Pure pieces live beside it: checks.ts (connectors' answers, pages' requests), outcomes.ts
 * (outcomes and time limits), everywhere-plan.ts (plans, cookie sites), job-view.ts (what pages see
 * of jobs).
 */
import {
  capabilitiesOf, ConnectorError, type Connector, type ConnectorContext, type RevokeTarget, type Session, type SharedCookies, type WhoAmI,
} from '../connectors/types';
import { accountName } from './account-name';
import { batched } from './batch';
import { canList, checkReason, checkSessionList, checkTarget, checkWhoami, isSignedOutError, markCurrent, MAX_TEXT_CHARS } from './checks';
import { cookieSite, isWebOrigin, planFor } from './everywhere-plan';
import { confirmed, direct, failed, failedFrom, failure, messageOf, notConfirmed, withTimeout, type Call, onlyHere, proofOutcome } from './outcomes';
import { jobsView, oldestUnfinished, summariseJob } from './job-view';
import { MAX_SEEN_IDS } from './new-sessions';
import { recordingLocal, withShared } from './shared-cookies';
import {
  appendAudit, dropCachedMany, storeLearned, finishJob, listAudit, putJob, readAccount, readAccounts, readAccountsById, readAccountsWithCache, toCachedStatus,
  readCached, readJobs, replaceCachedMany, storeCheck, storeSeen, updateJobSteps, type CacheRecord, type SessionsDb, type StepUpdate,
} from './db';
import {
  SessionsError,
  type AccountResult, type AccountStatus, type AuditAction, type AuditQuery, type AuditReason, type AuditRecord,
  type CachedStatus, type Job, type JobStep, type JobSummary, type JobsView, type LastCheck, type LinkedAccount, type RevokeOutcome,
  type SessionSnapshot,
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

export interface SessionEngine {
  /** Looks at the given accounts (default: all linked), in parallel, each with its own timeout; stores each result. Never rejects for a service's failure. */
  gather(accountIds?: string[]): Promise<AccountStatus[]>;
  /** Every linked account with its last stored result and when it was stored (nulls if never looked at). */
  cached(): Promise<CachedStatus[]>;
  /** Records the sessions the person was shown for an account, the baseline of "new" next time. */
  markSeen(accountId: string, ids: string[]): Promise<void>;
  /** Ends one session, the others, or all (then also this browser's cookies, where the connector can), and checks. Audited. */
  /** `password`: typed for this one request where the service asks for it (can.passwordToEnd); never stored. */
  revoke(accountId: string, target: RevokeTarget, reason: AuditReason, password?: string): Promise<RevokeOutcome>;
  /** Clears this browser's cookies and site data for the account's origin, and checks no cookie is left. Audited. */
  localSignOut(accountId: string, reason: AuditReason): Promise<RevokeOutcome>;
  /** Ends every linked account's sessions, then clears this browser's login state for each. A job already running is joined. */
  signOutEverywhere(reason: AuditReason): Promise<JobSummary>;
  /** Finishes jobs a stopped service worker left unfinished (joining one already under way); call on start. Returns their summaries. */
  resumeUnfinished(): Promise<JobSummary[]>;
  /** The newest job, running or finished; `summary` once finished. */
  lastJob(): Promise<{ job: Job; summary: JobSummary | null } | null>;
  /** The job still running (from the journal), with each account's progress, and the last finished one's summary. */
  jobs(): Promise<JobsView>;
  audit: { list(query: AuditQuery): Promise<AuditRecord[]> };
}

interface Opened {
  ctx: ConnectorContext;
  call: Call;
  shared(): SharedCookies[];
}

// ---- Audit helpers -----------------------------------------------------------------------

const actionFor = (target: RevokeTarget): AuditAction =>
  target === 'all' ? 'revoke-all' : target === 'others' ? 'revoke-others' : 'revoke-one';

function snapshot(session: Session): SessionSnapshot {
  const { id: _id, extra: _extra, ...display } = session;
  return display;
}

const describeTarget = (target: RevokeTarget) =>
  target === 'all' ? 'end all sessions' : target === 'others' ? 'end the other sessions' : 'end a single session';

// ---- The engine --------------------------------------------------------------------------

type Observation = Extract<AccountResult, { state: 'ok' | 'signed-out' }>;

/** A server step's outcome, what its check observed, and what the connector learned for next time. */
interface ServerResult {
  outcome: RevokeOutcome;
  observed?: Observation;
  learned?: Record<string, string>;
}

const SIGNED_OUT: Observation = { state: 'signed-out' };

interface ServerOptions {
  /** The session was this browser's own (from the last listing): 'signed-out' afterwards then proves it ended. */
  wasCurrent?: boolean;
  /** A journal step found in state 'server-sent' on resume: the request may already have taken effect. */
  resumedAfterSend?: boolean;
  /** Called once the account was seen signed in, right before the request goes out (the journal's 'server-sent'). */
  beforeSend?: () => Promise<void>;
  /** The password the person typed for this request (user-interactive auth). */
  password?: string;
}

export { summariseJob } from './job-view';
export { checkSessions, checkWhoami } from './checks';
export { cookieSite } from './everywhere-plan';

export function createSessionEngine(deps: SessionEngineDeps): SessionEngine {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const words = deps.words ?? say;
  const w = (key: MessageKey, ...subs: Sub[]) => words({ key, subs });
  const wp = (plural: PluralKey, count: number, ...subs: Sub[]) => words({ plural, count, subs });
  /** Jobs running in this engine, so a second request or a resume joins rather than runs them twice. */
  const running = new Map<string, Promise<JobSummary>>();

  // Group commit (batch.ts): accounts running in parallel share transactions instead of queueing.
  const writeStep = batched(async (updates: StepUpdate[]) => updateJobSteps(await deps.db(), updates));
  const readLinked = batched(async (ids: string[]) => readAccountsById(await deps.db(), ids));
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

  async function whoamiOrNull(connector: Connector, ctx: ConnectorContext, call: Call): Promise<WhoAmI | null> {
    try {
      return checkWhoami(await call(() => connector.whoami(ctx)));
    } catch (e) {
      if (isSignedOutError(e)) return null;
      throw e;
    }
  }

  /** Who is signed in, and the sessions when the service lists them. Throws ConnectorError for anything else. */
  async function observe(connector: Connector, ctx: ConnectorContext, call: Call): Promise<Observation> {
    const who = await whoamiOrNull(connector, ctx, call);
    if (who === null) return { state: 'signed-out' };
    let sessions: Session[] | null = null;
    let unlisted: number | 'some' | undefined;
    if (canList(connector)) {
      try {
        const list = checkSessionList(await call(() => connector.listSessions!(ctx)));
        sessions = markCurrent(list.sessions, who);
        unlisted = list.unlisted;
      } catch (e) {
        if (isSignedOutError(e)) return { state: 'signed-out' };
        throw e;
      }
    }
    return { state: 'ok', sessions, ...(unlisted !== undefined && { unlisted }), fetchedAt: now(), whoami: who };
  }

  async function lookAt(account: LinkedAccount): Promise<AccountResult> {
    const connector = deps.connectorById(account.connectorId);
    if (!connector) return { state: 'error', kind: 'unsupported', message: `This version of Revoke has no connector "${account.connectorId}".` };
    const controller = new AbortController();
    try {
      // One time limit for the whole look: a service that hangs resolves to 'timeout' and never holds up the others.
      return await withTimeout(timeoutMs, controller, () => observe(connector, deps.contextFor(account, controller.signal), direct));
    } catch (e) {
      const f = failure(e);
      return { state: 'error', ...f };
    }
  }

  function lastCheckOf(at: number, result: AccountResult): LastCheck {
    if (result.state === 'ok') return { at, whoami: { account: result.whoami.account } };
    if (result.state === 'signed-out') return { at, whoami: null };
    return { at, failure: { kind: result.kind, message: result.message } };
  }

  /** Keeps what a sign-out's check observed as the account's latest result. Only a convenience: failures are ignored. */
  async function remember(accountId: string, observation: Observation | undefined): Promise<void> {
    if (!observation) return;
    await keepCached({ accountId, at: now(), result: observation }).catch(() => undefined);
  }

  // -- Ending sessions on the service --

  /** How `target` can be done: by the connector directly, one session at a time ('others' only), or not. */
  function howTo(connector: Connector, account: LinkedAccount, target: RevokeTarget): 'direct' | 'one-by-one' | null {
    if (typeof connector.revoke !== 'function') return null;
    const can = capabilitiesOf(connector, account);
    if (target === 'all') return can.revokeAll ? 'direct' : null;
    if (target === 'others') return can.revokeOthers ? 'direct' : can.revokeOne && canList(connector) ? 'one-by-one' : null;
    return can.revokeOne ? 'direct' : null;
  }

  /** "End the other sessions" for services that can only end one at a time. Never ends this browser's own. */
  async function endOthersOneByOne(connector: Connector, ctx: ConnectorContext, call: Call): Promise<void> {
    const seen = await observe(connector, ctx, call);
    if (seen.state !== 'ok') throw new ConnectorError('signed-out', 'Not signed in here, so the other sessions could not be listed.');
    const sessions = seen.sessions ?? [];
    if (!sessions.some((s) => s.current)) {
      throw new ConnectorError('unsupported', 'The service does not say which session is this browser\'s, so Revoke will not end sessions one by one.');
    }
    const others = sessions.filter((s) => !s.current);
    let ended = 0;
    for (const s of others) {
      try {
        await call(() => connector.revoke!(ctx, { id: s.id }));
      } catch (e) {
        if (ended === 0) throw e;
        const f = failure(e);
        throw new ConnectorError(f.kind, `Ended ${ended} of ${others.length} other sessions, then: ${f.message}`, f.detail);
      }
      ended++;
    }
  }

  /** Checks the goal state after the service accepted `target`. Throws when the check itself fails. */
  async function verify(
    connector: Connector, ctx: ConnectorContext, call: Call, target: RevokeTarget, options: ServerOptions,
  ): Promise<{ outcome: RevokeOutcome; observed?: Observation }> {
    if (target === 'all') {
      const who = await whoamiOrNull(connector, ctx, call);
      const again = options.resumedAfterSend;
      return who === null
        ? { outcome: confirmed(w(again ? 'seen_allSignedOutResent' : 'seen_allSignedOut')), observed: SIGNED_OUT }
        : { outcome: notConfirmed(w(again ? 'seen_allStillSignedInResent' : 'seen_allStillSignedIn', who.account)) };
    }
    if (!canList(connector)) {
      return { outcome: notConfirmed(w('seen_noList')) };
    }
    const seen = await observe(connector, ctx, call);
    if (seen.state === 'signed-out') {
      if (typeof target === 'object' && options.wasCurrent) {
        return { outcome: confirmed(w('seen_ownSession')), observed: seen };
      }
      return { outcome: notConfirmed(w('seen_signedOutToo')), observed: seen };
    }
    const sessions = seen.sessions ?? [];
    if (typeof target === 'object') {
      return sessions.some((s) => s.id === target.id)
        ? { outcome: notConfirmed(w('seen_stillListed')), observed: seen }
        : { outcome: confirmed(w('seen_gone')), observed: seen };
    }
    const left = sessions.filter((s) => !s.current);
    if (seen.unlisted !== undefined) {
      return { outcome: notConfirmed(seen.unlisted === 'some' ? w('seen_unlistedSome') : wp('seen_unlisted', seen.unlisted)), observed: seen };
    }
    if (left.length === 0) return { outcome: confirmed(w('seen_onlyThisLeft')), observed: seen };
    const unmarked = !sessions.some((s) => s.current);
    return {
      outcome: notConfirmed(wp(unmarked ? 'seen_leftUnmarked' : 'seen_leftOthers', left.length)),
      observed: seen,
    };
  }

  /**
   * On resume from 'server-sent', the request sent before the restart can still be on its way when
   * the resent one goes out (who-am-I said signed in): whichever lands second hears "not signed
   * in". That answer proves nothing by itself, so who-am-I decides: signed out now means the
   * earlier request (sent while signed in) took effect.
   */
  async function afterRefusedResend(connector: Connector, ctx: ConnectorContext, call: Call): Promise<{ outcome: RevokeOutcome; observed?: Observation }> {
    let who: WhoAmI | null;
    try {
      who = await whoamiOrNull(connector, ctx, call);
    } catch (e) {
      return { outcome: notConfirmed(w('seen_resentCouldNotCheck', messageOf(e))) };
    }
    return who === null
      ? {
          outcome: confirmed(w('seen_resentConfirmed')),
          observed: SIGNED_OUT,
        }
      : { outcome: notConfirmed(w('seen_resentStillSignedIn', who.account)) };
  }

  /**
   * Asks the service to end `target`, then checks. Connector errors while asking are 'failed';
   * errors while checking are 'not-confirmed' (the request was accepted, the result is unknown).
   * Storage errors (from `beforeSend`) are not outcomes: they propagate.
   */
  async function endOnServer(
    account: LinkedAccount, connector: Connector | undefined, target: RevokeTarget, options: ServerOptions = {},
  ): Promise<ServerResult> {
    if (!connector) return { outcome: failed('unsupported', `This version of Revoke has no connector "${account.connectorId}".`) };
    const how = howTo(connector, account, target);
    if (!how) return { outcome: failed('unsupported', `${connector.meta.name} does not let Revoke ${describeTarget(target)}.`) };
    let opened: Opened;
    try {
      opened = open(account, options.password);
      if (target === 'all' || options.wasCurrent) {
        // Ending "all" (or this browser's own session) signs this browser out, which is also what the
        // check looks for: so first make sure there is something to end, or an account already
        // signed out would pass as "ended".
        if ((await whoamiOrNull(connector, opened.ctx, opened.call)) === null) {
          if (target !== 'all') return { outcome: failed('signed-out', w('fail_notSignedInOne')) };
          return options.resumedAfterSend
            ? {
                outcome: confirmed(w('seen_resumedSignedOut')),
                observed: SIGNED_OUT,
              }
            : { outcome: failed('signed-out', w('fail_notSignedInAll')) };
        }
      }
    } catch (e) {
      return { outcome: failedFrom(e) };
    }
    await options.beforeSend?.();
    const result = await sendAndVerify(connector, opened, how, target, options);
    if (result.learned) await deps.db().then((db) => storeLearned(db, account.id, result.learned!)).catch(() => undefined);
    // The connector may have cleared this browser on the way (the generic connector does): say what that took.
    return { ...result, outcome: withShared(result.outcome, opened.shared()) };
  }

  async function sendAndVerify(
    connector: Connector, { ctx, call }: Opened, how: 'direct' | 'one-by-one', target: RevokeTarget, options: ServerOptions,
  ): Promise<ServerResult> {
    let answer: unknown;
    try {
      if (how === 'one-by-one') await endOthersOneByOne(connector, ctx, call);
      else answer = await call(() => connector.revoke!(ctx, target), Math.max(timeoutMs, connector.revokeTimeoutMs ?? 0));
    } catch (e) {
      if (target === 'all' && options.resumedAfterSend && isSignedOutError(e)) return afterRefusedResend(connector, ctx, call);
      return { outcome: failedFrom(e) };
    }
    // A connector that proved the sign-out itself ("Any site": who-am-I only sees cookies) is believed
    // for what it saw, and only that; a malformed proof proves nothing.
    // What the service ended beyond the target (Matrix's /logout/all: every device), as it said.
    const report = typeof answer === 'object' && answer !== null && 'ended' in answer ? (answer as { ended: unknown }).ended : undefined;
    if (answer !== undefined && report === undefined) {
      const proof = proofOutcome(answer);
      if (!proof) return { outcome: notConfirmed('The service accepted the request, but what Revoke saw afterwards did not look as expected.') };
      return { ...proof, ...(proof.outcome.status === 'confirmed' ? { observed: SIGNED_OUT } : {}) };
    }
    try {
      const checked = await verify(connector, ctx, call, target, options);
      const ended = typeof report === 'string' ? report.slice(0, MAX_TEXT_CHARS) : undefined;
      return ended && checked.outcome.status !== 'failed' ? { ...checked, outcome: { ...checked.outcome, seen: `${ended} ${checked.outcome.seen}` } } : checked;
    } catch (e) {
      return { outcome: notConfirmed(w(target === 'all' ? 'seen_couldNotCheckSignedIn' : 'seen_couldNotCheckList', messageOf(e))) };
    }
  }

  /** Clears this browser's cookies and site data for the account's origin, then checks that no cookie is left. */
  async function clearLocal(account: LinkedAccount): Promise<RevokeOutcome> {
    let opened: Opened;
    try {
      opened = open(account);
      const { ctx, call } = opened;
      await call(() => ctx.local.clear(account.origin));
    } catch (e) {
      await forgetCached(account);
      // Errors here come from the browser's APIs, most often a missing permission.
      return failedFrom(e, 'permission');
    }
    // The cached result no longer describes this browser (after a failed clear neither): dropped while the cookies are checked.
    const [outcome] = await Promise.all([checkCleared(account, opened), forgetCached(account)]);
    // No login cookie left: this browser is signed out there, and pages can show so at once.
    if (outcome.status === 'confirmed') await remember(account.id, SIGNED_OUT);
    return withShared(outcome, opened.shared());
  }

  /** Drops the account's cached result; only a convenience, so failures are ignored. */
  function forgetCached(account: LinkedAccount): Promise<void> {
    return dropCache(account.id).then(() => undefined, () => undefined);
  }

  /** After a clear: 'confirmed' only when this browser holds no cookie for the origin. Never rejects. */
  async function checkCleared(account: LinkedAccount, { ctx, call }: Opened): Promise<RevokeOutcome> {
    try {
      const names: unknown = await call(() => ctx.local.cookieNames(account.origin));
      if (!Array.isArray(names)) throw new Error('the cookie list is not a list');
      return names.length === 0
        ? confirmed(w('seen_noCookies', account.origin))
        : notConfirmed(wp('seen_cookiesLeft', names.length, account.origin, names.slice(0, 10).join(', ')));
    } catch (e) {
      return notConfirmed(w('seen_clearUnchecked', account.origin, e instanceof Error ? e.message : String(e)));
    }
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
    if (!account) throw new SessionsError('not-found', 'That account is no longer linked.');
    return account;
  }

  // -- "Sign out everywhere" --

  /** Records a step's change (with its audit record, in the same transaction); resolves once committed. */
  async function saveStep(job: Job, step: JobStep, change: Partial<Pick<JobStep, 'state' | 'server' | 'local'>>, audit?: AuditRecord) {
    await writeStep({ jobId: job.id, accountId: step.accountId, change, ...(audit && { audit }) });
    Object.assign(step, change);
  }

  /** The account as linked now, or as it was when the job started if it was unlinked since. */
  async function accountFor(step: JobStep): Promise<LinkedAccount> {
    return (await readLinked(step.accountId)) ?? step.account;
  }

  /**
   * The server step of one account. Safe to run again after a stop at any point, because every
   * path ends in a check of the goal state rather than in trusting what was sent:
   *   - 'others': asking again to end the other sessions is harmless, and the check lists what is left.
   *   - 'all': before sending, the account must be seen signed in. On a first run, "signed out"
   *     then means nothing can be ended from here: 'failed' (signed-out), never a claim. Found in
   *     'server-sent' on resume, the request went out while the account was signed in; if it is
   *     signed out now, this browser's session ended after the request, which is exactly what the
   *     check of a completed 'all' looks for: 'confirmed', saying it was resumed. Signed in still:
   *     the request is sent again. The earlier one may still be on its way (a stopped worker's
   *     request is not recalled), so either may land second and hear "not signed in": the resent
   *     one's "not signed in" is then checked with who-am-I (see afterRefusedResend), never 'failed'.
   *   - the outcome and its audit record are written in one transaction, so a recorded step is
   *     never repeated, and an unrecorded one is repeated whole (with its audit record).
   */
  async function serverStep(job: Job, step: JobStep): Promise<void> {
    if (step.state === 'server-done' || step.state === 'local-done') return;
    const account = await accountFor(step);
    const connector = deps.connectorById(account.connectorId);
    if (step.plan === 'none' && connector) {
      await saveStep(job, step, { state: 'server-done', server: 'skipped' });
      return;
    }
    const target = step.plan === 'none' ? 'all' : step.plan; // no connector: endOnServer reports 'unsupported'
    const { outcome, observed } = await endOnServer(account, connector, target, {
      resumedAfterSend: step.state === 'server-sent',
      beforeSend: () => saveStep(job, step, { state: 'server-sent' }),
    });
    await Promise.all([
      saveStep(job, step, { state: 'server-done', server: outcome }, auditRecord(account, 'sign-out-everywhere', outcome, job.reason, { jobId: job.id })),
      // Pages show the cached view: sessions this step ended leave it now, not when the whole job is done.
      remember(account.id, observed),
    ]);
  }

  /** The local step: clearing is idempotent, and the check (no cookies left) is of the goal state. */
  async function localStep(job: Job, step: JobStep): Promise<void> {
    if (step.state !== 'server-done') return; // local-done already, or the server step's record failed: left for a resume
    const account = await accountFor(step);
    if (!isWebOrigin(account.origin)) {
      await saveStep(job, step, { state: 'local-done', local: 'skipped' });
      return;
    }
    const outcome = await clearLocal(account);
    await saveStep(job, step, { state: 'local-done', local: outcome }, auditRecord(account, 'local-sign-out', outcome, job.reason, { jobId: job.id }));
  }

  /**
   * Runs what is left of a job. Accounts run in parallel, except that within one cookie site
   * (see cookieSite) every server step finishes before any local clear starts. Local clears run
   * even after a failed server step: clearing this browser is still what the person asked for.
   */
  async function runJob(job: Job): Promise<JobSummary> {
    const groups = new Map<string, JobStep[]>();
    for (const step of job.steps) {
      const key = cookieSite(step.account.origin);
      groups.set(key, [...(groups.get(key) ?? []), step]);
    }
    const errors: unknown[] = [];
    const collect = (results: PromiseSettledResult<void>[]) => {
      for (const r of results) if (r.status === 'rejected') errors.push(r.reason);
    };
    await Promise.all(
      [...groups.values()].map(async (steps) => {
        collect(await Promise.allSettled(steps.map((step) => serverStep(job, step))));
        collect(await Promise.allSettled(steps.map((step) => localStep(job, step))));
      }),
    );
    // A step that could not be recorded leaves the job unfinished, to be completed by resumeUnfinished.
    if (errors.length > 0) throw errors[0];
    return summariseJob(await finishJob(await deps.db(), job.id, now()), words);
  }

  function track(jobId: string, promise: Promise<JobSummary>): Promise<JobSummary> {
    running.set(jobId, promise);
    const done = () => running.delete(jobId);
    promise.then(done, done);
    return promise;
  }

  /** Runs a journalled job unless this engine already runs it (checked and tracked with no await between). */
  function runOnce(job: Job): Promise<JobSummary> {
    return running.get(job.id) ?? track(job.id, runJob(job));
  }

  return {
    async gather(accountIds) {
      let accounts = await readAccounts(await deps.db());
      if (accountIds !== undefined) {
        const wanted = new Set(accountIds);
        accounts = accounts.filter((a) => wanted.has(a.id));
      }
      return Promise.all(
        accounts.map(async (account): Promise<AccountStatus> => {
          // Stamped with when the look began: a sign-out that ends sessions meanwhile records a newer
          // result, which this look (perhaps listing the ended sessions) must not overwrite (see storeCheck).
          const at = now();
          const result = await lookAt(account);
          let stored: LinkedAccount | undefined;
          try {
            stored = await storeCheck(await deps.db(), { accountId: account.id, at, result }, lastCheckOf(at, result));
          } catch {
            // The cache only speeds up the next paint; the fresh result is still returned.
          }
          return { account: stored ?? account, at, result };
        }),
      );
    },

    async cached() {
      return (await readAccountsWithCache(await deps.db())).map(toCachedStatus);
    },

    async markSeen(accountId, ids) {
      if (typeof accountId !== 'string' || !Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw new SessionsError('invalid-input', 'The sessions shown must be a list of session ids.');
      }
      await storeSeen(await deps.db(), accountId, ids.slice(0, MAX_SEEN_IDS));
    },

    async revoke(accountId, target, reason, password) {
      const checkedTarget = checkTarget(target);
      const checkedReason = checkReason(reason);
      const account = await requireAccount(accountId);
      const connector = deps.connectorById(account.connectorId);
      const can = connector && capabilitiesOf(connector, account);
      if (checkedTarget === 'all' && can && !can.revokeAll && can.localSignOut) {
        // "Sign out of the site" where the site cannot be asked to end the session: this browser
        // only, and the outcome says that the site's session may live on.
        const host = new URL(account.origin).host;
        const outcome = onlyHere(await clearLocal(account), w('seen_onlyHere', w('seen_noWayToAsk', host), host));
        await appendAudit(await deps.db(), auditRecord(account, 'local-sign-out', outcome, checkedReason));
        return outcome;
      }
      let listed: Session | undefined;
      if (typeof checkedTarget === 'object') {
        const cached = await readCached(await deps.db(), account.id);
        if (cached?.result.state === 'ok') listed = cached.result.sessions?.find((s) => s.id === checkedTarget.id);
      }
      const server = await endOnServer(account, connector, checkedTarget, {
        wasCurrent: listed?.current === true,
        ...(typeof password === 'string' && password !== '' ? { password } : {}),
      });
      let outcome = server.outcome;
      if (outcome.status === 'failed' && outcome.kind === 'unsupported' && can?.localSignOut && (checkedTarget === 'all' || listed?.current)) {
        // The connector found no way to ask the site (no sign-out on its pages): this browser only, saying why.
        const local = onlyHere(await clearLocal(account), w('seen_onlyHere', outcome.message, new URL(account.origin).host));
        await appendAudit(await deps.db(), auditRecord(account, 'local-sign-out', local, checkedReason));
        return local;
      }
      await remember(account.id, server.observed);
      // Only after the service confirmed: clearing first would leave a valid session that can no longer be ended from here.
      if (checkedTarget === 'all' && outcome.status === 'confirmed' && can?.localSignOut) {
        const local = await clearLocal(account);
        const combined = local.status === 'confirmed'
          ? confirmed(`${outcome.seen} ${local.seen}`)
          : notConfirmed(w('seen_clearNotConfirmed', outcome.seen, local.status === 'failed' ? local.message : local.seen));
        outcome = withShared(combined, outcome.sharedCookies, local.sharedCookies);
      }
      await appendAudit(
        await deps.db(),
        auditRecord(account, actionFor(checkedTarget), outcome, checkedReason, listed ? { session: snapshot(listed) } : {}),
      );
      return outcome;
    },

    async localSignOut(accountId, reason) {
      const checkedReason = checkReason(reason);
      const account = await requireAccount(accountId);
      const outcome = await clearLocal(account);
      await appendAudit(await deps.db(), auditRecord(account, 'local-sign-out', outcome, checkedReason));
      return outcome;
    },

    async signOutEverywhere(reason) {
      // Nothing is awaited before `track`: a second call made at once joins this job.
      const checkedReason = checkReason(reason);
      const inFlight = running.values().next();
      if (!inFlight.done) return inFlight.value;
      const jobId = newId();
      return track(
        jobId,
        (async () => {
          const db = await deps.db();
          // Asked right after a restart, before resumeUnfinished picked the stopped job up: finish that
          // job rather than start another, which would send every request a second time.
          const unfinished = oldestUnfinished(await readJobs(db));
          if (unfinished) return runOnce(unfinished);
          const accounts = await readAccounts(db);
          const job: Job = {
            id: jobId, kind: 'sign-out-everywhere', startedAt: now(), reason: checkedReason,
            steps: accounts.map((account) => ({
              accountId: account.id, account, plan: planFor(deps.connectorById(account.connectorId), account), state: 'pending',
            })),
          };
          // Recorded before anything is sent: a worker stopped from here on finishes the job when it starts again.
          await putJob(db, job);
          return runJob(job);
        })(),
      );
    },

    async resumeUnfinished() {
      const unfinished = (await readJobs(await deps.db()))
        .filter((job) => job.finishedAt === undefined)
        .sort((a, b) => a.startedAt - b.startedAt);
      const summaries: JobSummary[] = [];
      for (const job of unfinished) summaries.push(await runOnce(job));
      return summaries;
    },

    async lastJob() {
      const jobs = await readJobs(await deps.db());
      const newest = jobs.sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1))[0];
      if (!newest) return null;
      return { job: newest, summary: newest.finishedAt === undefined ? null : summariseJob(newest, words) };
    },

    async jobs() {
      return jobsView(await readJobs(await deps.db()), words);
    },

    audit: {
      async list(query) {
        return listAudit(await deps.db(), query);
      },
    },
  };
}
