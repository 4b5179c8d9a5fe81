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
 * Its parts, each found by name: engine-core.ts (dependencies, contexts, the records every part
 * keeps), looking.ts (gather, cache), ending.ts (server revoke, verify, local clear), jobs.ts (the
 * journal, resume). Pure pieces beside them: checks.ts (connectors' answers, pages' requests),
 * outcomes.ts (outcomes and time limits), everywhere-plan.ts (plans, cookie sites), job-view.ts
 * (what pages see of jobs).
 */
import type { RevokeTarget } from '../connectors/types';
import { listAudit } from './db';
import { createEngineCore, type SessionEngineDeps } from './engine-core';
import { createEnding } from './ending';
import { createJobs } from './jobs';
import { createLooking } from './looking';
import { createPanic, type PanicRequest } from './panic';
import type { AccountStatus, AuditQuery, AuditReason, AuditRecord, CachedStatus, Job, JobSummary, JobsView, PanicReport, RevokeOutcome } from './types';

export { DEFAULT_TIMEOUT_MS, type SessionEngineDeps } from './engine-core';
export { summariseJob } from './job-view';
export { checkSessions, checkWhoami } from './checks';
export { cookieSite } from './everywhere-plan';

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
  /**
   * Panic (panic.ts): linked accounts not on a kept site signed out as sign out everywhere does, then
   * every cookie and the site data of every site not kept. One audit record. A run under way is joined.
   */
  panic(request: PanicRequest): Promise<PanicReport>;
  audit: { list(query: AuditQuery): Promise<AuditRecord[]> };
}

export function createSessionEngine(deps: SessionEngineDeps): SessionEngine {
  const core = createEngineCore(deps);
  // Each part returns what the others use first, then its share of the public contract.
  const { whoamiOrNull, observe, ...looking } = createLooking(core);
  const { endOnServer, clearLocal, ...ending } = createEnding(core, { whoamiOrNull, observe });
  return {
    ...looking,
    ...ending,
    ...createJobs(core, { endOnServer, clearLocal }),
    ...createPanic(core, { endOnServer, clearLocal }),
    audit: {
      async list(query) {
        return listAudit(await deps.db(), query);
      },
    },
  };
}
