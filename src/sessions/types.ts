/**
 * Types of the session engine: linked accounts, what a look at an account found, what a
 * sign-out achieved, the audit trail and the journal of "sign out everywhere" jobs.
 * Everything here is stored in IndexedDB, so it is plain data (structured-clonable).
 */
import type { FailureKind, LinkedAccountRef, Session, SharedCookies, WhoAmI } from '../connectors/types';
import type { Said } from '../i18n/t';

// ---- Linked accounts ---------------------------------------------------------------------

/** What the last look at an account found (kept on the account for lists that load no cache). */
export type LastCheck =
  | { at: number; whoami: { account: string } | null }
  | { at: number; failure: { kind: FailureKind; message: string; said?: Said } };

export interface LinkedAccount extends LinkedAccountRef {
  /** What the person calls it ("Work GitHub"). */
  label: string;
  /**
   * The label is the one Revoke gave (the service's English name, with the host): shown, it is said
   * in the reader's language instead (account-name.ts). Gone once the person names the account.
   */
  labelIsDefault?: true;
  /** Unix ms. */
  linkedAt: number;
  lastCheck?: LastCheck;
  /**
   * Who the last check that found someone signed in named ("demo@example.com"): the account's
   * name while it is signed out, so it does not turn back into the service's label then.
   */
  knownAs?: string;
}

// ---- Looking at an account ---------------------------------------------------------------

/**
 * What a look at one account found. `sessions` is null when the service cannot list sessions:
 * never an empty list standing in for "don't know". `unlisted`: other sessions the service says
 * exist without listing them; `hidden`: why the service shows none of the others now (see SessionList).
 */
export type AccountResult =
  | { state: 'ok'; sessions: Session[] | null; unlisted?: number | 'some'; hidden?: Said; fetchedAt: number; whoami: WhoAmI }
  | { state: 'signed-out' }
  | { state: 'error'; kind: FailureKind; message: string; detail?: string; said?: Said };

/** One account with a fresh result (what `gather` returns). `at`: when the result was stored. */
export interface AccountStatus {
  account: LinkedAccount;
  at: number;
  result: AccountResult;
}

/**
 * One account with its last stored result, or nulls when it was never looked at (what `cached`
 * returns). `lastOk`: while looks fail, the last one that worked and when. `seen`: the sessions
 * the person was last shown (see new-sessions.ts). `unrecognised`: listed sessions the watch does
 * not recognise, `known`: those it remembers as the person's, absent before the watch's first look (see watch.ts).
 */
export type CachedStatus =
  | (AccountStatus & { lastOk?: { at: number; result: Extract<AccountResult, { state: 'ok' }> }; seen?: string[]; unrecognised?: string[]; known?: string[] })
  | { account: LinkedAccount; at: null; result: null };

// ---- Signing out -------------------------------------------------------------------------

/**
 * What a sign-out achieved. `seen` says what was observed, in words for the person.
 *   confirmed      the goal state was observed after the request (session no longer listed, signed out here, no cookies left)
 *   not-confirmed  the request was accepted (or may have been), but the goal state was not observed or could not be checked
 *   failed         the request itself failed or was refused; nothing is known to have changed
 */
export type RevokeOutcome = (
  | { status: 'confirmed'; seen: string }
  | { status: 'not-confirmed'; seen: string }
  | { status: 'failed'; kind: FailureKind; message: string; detail?: string; said?: Said }
) & {
  /**
   * Set when clearing this browser removed cookies shared with a parent domain: the sites under
   * it lost them too (their sign-in may have ended), and the person should know.
   */
  sharedCookies?: SharedCookies[];
};

/**
 * Steps of a "sign out everywhere" job carry its jobId: the server step is 'sign-out-everywhere'
 * (its outcome says whether all or the other sessions were ended), the local step 'local-sign-out'.
 */
export type AuditAction = 'revoke-one' | 'revoke-others' | 'revoke-all' | 'local-sign-out' | 'sign-out-everywhere' | 'panic';

export type AuditReason =
  | { kind: 'unrecognised' | 'lost-device' | 'shared-computer' | 'other'; text?: string }
  | { kind: 'rule'; rule: string };

/** The display fields of a session, kept in the audit trail. No id (for some services it is the token) and no `extra`. */
export type SessionSnapshot = Pick<
  Session,
  'current' | 'device' | 'browser' | 'os' | 'ip' | 'location' | 'createdAt' | 'lastActiveAt' | 'expiresAt'
>;

/** One sign-out attempt, whatever its outcome. Append-only. Labels are copied: the account may be unlinked later. */
export interface AuditRecord {
  id: string;
  at: number;
  accountId: string;
  accountLabel: string;
  /**
   * The account's name (account-name.ts) when the attempt was made: who the service said was
   * signed in at the last check before it. Absent in records written before names existed.
   */
  accountName?: string;
  connectorId: string;
  origin: string;
  action: AuditAction;
  /** For 'revoke-one': the session as it was last listed, when it was. */
  session?: SessionSnapshot;
  outcome: RevokeOutcome;
  reason: AuditReason;
  /** Set when the attempt was a step of a "sign out everywhere" job. */
  jobId?: string;
  /** action 'panic': one record for the whole run, a line per site (its account fields are empty). */
  panic?: PanicSiteReport[];
}

/** `before` pages on: a time (records strictly older), or the last record of the previous page. */
export interface AuditQuery {
  limit: number;
  before?: number | { at: number; id: string };
  accountId?: string;
}

// ---- The journal of "sign out everywhere" ------------------------------------------------

/**
 * Per account: pending -> server-sent -> server-done -> local-done.
 *   server-sent  the account was seen signed in and the request to end its sessions is about to
 *                go out (or went out): on resume, a 'signed-out' answer then means it took effect.
 *   server-done  the server step's outcome is recorded (also when skipped or failed).
 *   local-done   this browser's cookies and site data were cleared (or the clear failed) and recorded.
 */
export type JobStepState = 'pending' | 'server-sent' | 'server-done' | 'local-done';

/** How the service's sessions are ended: 'all' (this browser's too), 'others' (then local clear), or not at all. */
export type ServerPlan = 'all' | 'others' | 'none';

export interface JobStep {
  accountId: string;
  /** The account as it was when the job started, so the job can finish even if it is unlinked meanwhile. */
  account: LinkedAccount;
  plan: ServerPlan;
  state: JobStepState;
  server?: RevokeOutcome | 'skipped';
  local?: RevokeOutcome | 'skipped';
}

export interface Job {
  id: string;
  kind: 'sign-out-everywhere';
  startedAt: number;
  finishedAt?: number;
  reason: AuditReason;
  steps: JobStep[];
}

export interface JobAccountSummary {
  accountId: string;
  label: string;
  /** The account's name as shown everywhere (account-name.ts), as it was when the job started. */
  name: string;
  server: RevokeOutcome | 'skipped';
  local: RevokeOutcome | 'skipped';
}

/**
 * Counts are per account, by its worst step (failed > not-confirmed > confirmed; 'skipped' steps
 * are left out, an account with every step skipped counts as not-confirmed). `serverSkipped`
 * counts accounts whose service offers no way to end sessions from here: only this browser was cleared.
 */
export interface JobSummary {
  jobId: string;
  perAccount: JobAccountSummary[];
  confirmed: number;
  notConfirmed: number;
  failed: number;
  serverSkipped: number;
}

/** One account of a running job: the step it is at and the outcomes recorded so far. */
export interface JobAccountProgress {
  accountId: string;
  label: string;
  name: string;
  state: JobStepState;
  server?: RevokeOutcome | 'skipped';
  local?: RevokeOutcome | 'skipped';
}

export interface JobProgress {
  jobId: string;
  startedAt: number;
  /** Accounts whose steps are all recorded ('local-done'), of `total`. */
  done: number;
  total: number;
  perAccount: JobAccountProgress[];
}

/** What pages show of "sign out everywhere": the job still running, and the last finished one. */
export interface JobsView {
  running: JobProgress | null;
  last: (JobSummary & { startedAt: number; finishedAt: number }) | null;
}

// ---- Panic ------------------------------------------------------------------------------

/** A linked account's part of a panic: sign out everywhere's two steps. */
export interface PanicAccountLine {
  accountId: string;
  /** The account's name as shown everywhere (account-name.ts), when panic ran. */
  name: string;
  /** The service can end other devices' sessions; else (as "Any site") only this browser's was asked to end. */
  endsOthers: boolean;
  server: RevokeOutcome | 'skipped';
  local: RevokeOutcome | 'skipped';
}

/**
 * One site (registrable domain, or the IP host) in a panic: its linked accounts' sign-outs, then
 * the clear of every cookie and the site data it had here (`cleared`; absent on a kept site, which
 * is untouched). A site without accounts was cleared in this browser only.
 */
export interface PanicSiteReport {
  site: string;
  kept: boolean;
  /** Cookies this browser held for it when panic started. */
  cookies: number;
  accounts: PanicAccountLine[];
  cleared?: RevokeOutcome;
}

/**
 * Counts are per site not kept, by its worst outcome (failed > not-confirmed > confirmed); a site
 * without linked accounts whose clear was confirmed counts as `browserOnly`, not as signed out.
 */
export interface PanicReport {
  id: string;
  startedAt: number;
  finishedAt: number;
  sites: PanicSiteReport[];
  confirmed: number;
  browserOnly: number;
  notConfirmed: number;
  failed: number;
  kept: number;
}

// ---- Errors --------------------------------------------------------------------------------

export type SessionsErrorCode = 'not-found' | 'invalid-input' | 'duplicate';

/** A refusal of a request (unknown account, bad input). Outcomes of sign-outs are never thrown: see RevokeOutcome. */
export class SessionsError extends Error {
  constructor(
    readonly code: SessionsErrorCode,
    message: string,
    /** What to tell the person, as a message key (the page puts it into words; see src/i18n). */
    readonly said?: Said,
  ) {
    super(message);
    this.name = 'SessionsError';
  }
}
