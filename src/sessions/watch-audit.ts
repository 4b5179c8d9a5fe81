/**
 * The scheduled audit: looks at every linked account (the engine's `gather`, all in parallel),
 * compares each with what the watch remembers (watch.ts), applies the account's rules (rules.ts)
 * through the engine like a manual sign-out (checked afterwards, audited with the rule as its
 * reason), and says what the person should hear: new sign-ins, what a rule ended, an account the
 * audit cannot look at (once, until it works again).
 *
 * Domain code: the engine, the database, the clock and the way to tell the person come in through
 * `deps` (the worker shows notifications, src/background/watch.ts).
 */
import type { Capabilities, FailureKind, Session } from '../connectors/types';
import type { Said } from '../i18n/t';
import type { SessionsDb } from './db';
import type { SessionEngine } from './engine';
import { planRules, type RuleAction, type RuleCause, type Trigger } from './rules';
import { auditFailure, diffAccount, learn, type AccountDiff, type AuditFailure, type WatchProblem } from './watch';
import { readWatch, updateWatch, updateWatches, type WatchChange, type WatchRecord } from './watch-store';
import { batched } from './batch';
import type { AccountStatus, AuditReason, LinkedAccount, RevokeOutcome } from './types';

/** What the audit tells the person. */
export type WatchNotice =
  /** A sign-in from an unrecognised device or place; `key` names it for "That was me" and "End it". */
  | { kind: 'new-sign-in'; key: string; account: LinkedAccount; session: Session }
  /** A rule acted (its outcome as checked, whatever it was). */
  | { kind: 'rule-acted'; account: LinkedAccount; action: RuleAction; outcome: RevokeOutcome }
  /** The audit could not look at the account (told once per failure). */
  | { kind: 'problem'; account: LinkedAccount; problem: WatchProblem };

export interface WatchDeps {
  engine: Pick<SessionEngine, 'gather' | 'revoke' | 'localSignOut' | 'cached'>;
  db: () => Promise<SessionsDb>;
  /** What the account's connector can do (how "sign this browser out" is done). */
  can(account: LinkedAccount): Capabilities | undefined;
  tell(notice: WatchNotice): Promise<void>;
  /** Puts a rule into words for the audit log (kept there as said, like every outcome). */
  words(said: Said): string;
  now?: () => number;
  newKey?: () => string;
}

/** One account's audit: what was found and what the rules did. */
export interface AccountAudit {
  accountId: string;
  state: AccountStatus['result']['state'];
  newSignIns: string[];
  acted: { kind: RuleAction['kind']; rule: RuleCause['rule']; status: RevokeOutcome['status'] }[];
  problem: AccountDiff['problem'];
  /** Why this audit could not look at the account (signed out, the look's failure, the others hidden); absent when it looked. */
  failure?: AuditFailure;
}

export function ruleSaid(cause: RuleCause): Said {
  switch (cause.rule) {
    case 'inactive': return { plural: 'rule_inactive', count: cause.days };
    case 'unrecognised': return { key: 'rule_unrecognised' };
    case 'on-start': return { key: 'rule_onStart' };
    case 'older-than': return { plural: 'rule_olderThan', count: cause.hours };
  }
}

export function createWatch(deps: WatchDeps) {
  const now = deps.now ?? Date.now;
  const newKey = deps.newKey ?? (() => globalThis.crypto.randomUUID());
  const reasonFor = (cause: RuleCause): AuditReason => ({ kind: 'rule', rule: deps.words(ruleSaid(cause)) });
  // Group commit: the accounts' looks come in together, and so do their records' writes (batch.ts).
  const remember = batched(async (changes: WatchChange[]) => updateWatches(await deps.db(), changes));

  /** Carries out one rule's action through the engine: the same checks and audit record as a manual one. */
  async function carryOut(account: LinkedAccount, action: RuleAction): Promise<RevokeOutcome> {
    const reason = reasonFor(action.cause);
    if (action.kind === 'end') return deps.engine.revoke(account.id, { id: action.session.id }, reason);
    const can = deps.can(account);
    // This browser's own session where the service lists it and ends it (GitLab and Mastodon through
    // their own sign-out); else this browser's cookies and site data.
    if (action.session && can?.revokeOne) return deps.engine.revoke(account.id, { id: action.session.id }, reason);
    return deps.engine.localSignOut(account.id, reason);
  }

  async function auditOne(status: AccountStatus, trigger: Trigger): Promise<AccountAudit> {
    const { account, result } = status;
    let diff: AccountDiff | undefined;
    const at = now();
    const record = await remember({
      accountId: account.id,
      change: (r) => {
        diff = diffAccount(r.memory, result, at);
        const alerts = diff.newSignIns.map(({ session }) => ({ key: newKey(), session, at }));
        return { ...r, memory: diff.memory, alerts: [...r.alerts, ...alerts] };
      },
    });
    const failure = auditFailure(result);
    const base: AccountAudit = { accountId: account.id, state: result.state, newSignIns: [], acted: [], problem: null, ...(failure ? { failure } : {}) };
    if (!record || !diff) return base; // unlinked meanwhile
    const found = diff;
    const newSignIns = found.newSignIns.map((n) => n.session);
    const actions = planRules(record.rules, {
      sessions: result.state === 'ok' ? result.sessions : null, newSignIns, signedIn: result.state === 'ok',
    }, at, trigger);
    const acted: AccountAudit['acted'] = [];
    const endedByRule = new Set<string>();
    // This browser signed out by the account's own rule: the audits that find it so are not a problem
    // to tell, and neither is what this audit could not see before the rule acted.
    const signedOutByRule = () => acted.some((a) => a.kind === 'sign-out-here' && a.status === 'confirmed');
    try {
      // One after another: a service's session list is re-read by each check, and rules are few.
      for (const action of actions) {
        const outcome = await carryOut(account, action);
        acted.push({ kind: action.kind, rule: action.cause.rule, status: outcome.status });
        if (action.kind === 'end' && outcome.status === 'confirmed') endedByRule.add(action.session.id);
        await deps.tell({ kind: 'rule-acted', account, action, outcome });
      }
    } finally {
      // Told even when a rule's action threw: the memory already holds the problem as told.
      if (!signedOutByRule() && found.problem === 'started' && found.memory.problem) await deps.tell({ kind: 'problem', account, problem: found.memory.problem });
    }
    if (signedOutByRule()) {
      await updateWatch(await deps.db(), account.id, (r) => ({ ...r, memory: { ...r.memory, problem: { kind: 'signed-out', message: '', since: at, byRule: true } } }));
    }
    // A new sign-in a rule ended is told as that (above); the others as new sign-ins to look at.
    const alerts = record.alerts.filter((a) => newSignIns.some((s) => s.id === a.session.id) && !endedByRule.has(a.session.id));
    for (const alert of alerts) await deps.tell({ kind: 'new-sign-in', key: alert.key, account, session: alert.session });
    if (endedByRule.size) await dropAlerts(account.id, (a) => endedByRule.has(a.session.id));
    // The state the person's own rule asked for is no failure to report ("Audit now").
    const { failure: _asked, ...looked } = base;
    const asked = signedOutByRule() || found.memory.problem?.byRule === true;
    return { ...(asked ? looked : base), newSignIns: newSignIns.map((s) => s.id), acted, problem: found.problem };
  }

  async function dropAlerts(accountId: string, which: (a: WatchRecord['alerts'][number]) => boolean): Promise<void> {
    await updateWatch(await deps.db(), accountId, (r) => ({ ...r, alerts: r.alerts.filter((a) => !which(a)) }));
  }

  async function alertFor(accountId: string, key: string) {
    const record = await readWatch(await deps.db(), accountId);
    return record.alerts.find((a) => a.key === key);
  }

  return {
    /** Looks at every linked account (or those given), in parallel; the rules of each run as soon as its look is in. */
    async run(trigger: Trigger = 'schedule', accountIds?: string[]): Promise<AccountAudit[]> {
      const statuses = await deps.engine.gather(accountIds);
      return Promise.all(statuses.map((s) => auditOne(s, trigger)));
    },

    /** The session a new-sign-in notification told about, while its alert is open (a click shows it in the popup). */
    async alertSession(accountId: string, key: string): Promise<Session | undefined> {
      return (await alertFor(accountId, key))?.session;
    },

    /** "That was me": the sign-in's device and place are known from now on. False when the alert is gone. */
    async thatWasMe(accountId: string, key: string): Promise<boolean> {
      const alert = await alertFor(accountId, key);
      if (!alert) return false;
      await updateWatch(await deps.db(), accountId, (r) => ({ ...r, memory: learn(r.memory, alert.session), alerts: r.alerts.filter((a) => a.key !== key) }));
      return true;
    },

    /** "End it": ends the session through the engine (checked, audited as unrecognised). Null when the alert is gone. */
    async endIt(accountId: string, key: string, reasonText: string): Promise<{ account: LinkedAccount; session: Session; outcome: RevokeOutcome } | null> {
      const alert = await alertFor(accountId, key);
      if (!alert) return null;
      const outcome = await deps.engine.revoke(accountId, { id: alert.session.id }, { kind: 'unrecognised', text: reasonText });
      // Told once: a failed attempt can be tried again from the popup, where the session stays marked.
      await dropAlerts(accountId, (a) => a.key === key);
      const account = (await deps.engine.cached()).find((c) => c.account.id === accountId)?.account;
      return account ? { account, session: alert.session, outcome } : null;
    },

    /** The popup's "known": a listed session of the account is the person's. False when it is not listed now. */
    async markKnown(accountId: string, sessionId: string): Promise<boolean> {
      const cached = (await deps.engine.cached()).find((c) => c.account.id === accountId);
      const listed = cached?.result?.state === 'ok' ? cached.result.sessions : null;
      const session = listed?.find((s) => s.id === sessionId);
      if (!session) return false;
      const written = await updateWatch(await deps.db(), accountId, (r) => ({
        ...r, memory: learn(r.memory, session), alerts: r.alerts.filter((a) => a.session.id !== sessionId),
      }));
      return written !== undefined;
    },
  };
}

export type Watch = ReturnType<typeof createWatch>;
