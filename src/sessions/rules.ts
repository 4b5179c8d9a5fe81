/**
 * Per-account rules: what the watch does on its own after looking at an account. Pure: the audit
 * (watch-audit.ts) passes the look, the new sign-ins and the clock, and carries out the actions
 * through the engine like a manual sign-out (re-checked, audited with the rule as reason).
 *
 * Every rule is off by default. No rule ends this browser's own session except the two that say
 * so ("sign this browser out when it starts / after N hours").
 */
import type { Capabilities, Session } from '../connectors/types';

export interface AccountRules {
  /** End other sessions whose last activity is more than this many days ago; null: off. */
  inactiveDays: number | null;
  /** A new sign-in from an unrecognised device or place: only tell ('notify'), or end it and tell ('end'). */
  unrecognised: 'notify' | 'end';
  /** Sign this browser out of the site when the browser starts. */
  signOutOnStart: boolean;
  /** Sign this browser out when its session there is older than this many hours; null: off. */
  signOutAfterHours: number | null;
}

export const DEFAULT_RULES: AccountRules = { inactiveDays: null, unrecognised: 'notify', signOutOnStart: false, signOutAfterHours: null };

export const RULE_LIMITS = { inactiveDays: { min: 1, max: 3650 }, signOutAfterHours: { min: 1, max: 24 * 365 } } as const;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function wholeIn(v: unknown, { min, max }: { min: number; max: number }): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : null;
}

/** Anything read from storage or a message becomes complete, valid rules (unknown values: off). */
export function sanitizeRules(raw: unknown): AccountRules {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    inactiveDays: wholeIn(r.inactiveDays, RULE_LIMITS.inactiveDays),
    unrecognised: r.unrecognised === 'end' ? 'end' : 'notify',
    signOutOnStart: r.signOutOnStart === true,
    signOutAfterHours: wholeIn(r.signOutAfterHours, RULE_LIMITS.signOutAfterHours),
  };
}

/** The service lists sessions besides this browser's: the rules about other sessions can act. */
export const listsOthers = (can: Pick<Capabilities, 'list' | 'onlyThisBrowser'> | undefined): boolean => can?.list === true && can.onlyThisBrowser !== true;

/**
 * The rules as the account's connector can carry them out: "older than N hours" measures the age
 * the service gives this browser's session (`can.sessionStart`), and the rules about other
 * sessions need a list that holds them. A rule that would never fire is not kept (nor offered by
 * the options page).
 */
export function rulesFor(rules: AccountRules, can: Pick<Capabilities, 'list' | 'onlyThisBrowser' | 'sessionStart'> | undefined): AccountRules {
  const kept = can?.sessionStart ? rules : { ...rules, signOutAfterHours: null };
  return listsOthers(can) ? kept : { ...kept, inactiveDays: null, unrecognised: 'notify' };
}

/** Which rule caused an action: kept with the action, put into words for the audit log. */
export type RuleCause =
  | { rule: 'inactive'; days: number }
  | { rule: 'unrecognised' }
  | { rule: 'on-start' }
  | { rule: 'older-than'; hours: number };

export type RuleAction =
  /** End another session on the service. */
  | { kind: 'end'; session: Session; cause: RuleCause }
  /** Sign this browser out of the site; `session`: this browser's session when the service listed it. */
  | { kind: 'sign-out-here'; session?: Session; cause: RuleCause };

/** Why the audit runs: the schedule, or the browser starting (only then does "on start" apply). */
export type Trigger = 'schedule' | 'startup';

/**
 * What the rules ask for, given the account's listed sessions (null: the service lists none) and
 * the audit's new sign-ins. Each session is ended at most once, by the first rule that asks.
 */
export function planRules(
  rules: AccountRules,
  look: { sessions: readonly Session[] | null; newSignIns: readonly Session[]; signedIn: boolean },
  now: number,
  trigger: Trigger,
): RuleAction[] {
  const actions: RuleAction[] = [];
  if (!look.signedIn) return actions;
  const sessions = look.sessions ?? [];
  const here = sessions.find((s) => s.current);
  const onHere = here ? { session: here } : {};
  // The browser's start runs its own rule only; the others act when an audit looks, as the options
  // page says (with audits off, only "Audit now" runs them).
  if (trigger === 'startup') return rules.signOutOnStart ? [{ kind: 'sign-out-here', ...onHere, cause: { rule: 'on-start' } }] : [];
  const ending = new Set<string>();
  const end = (session: Session, cause: RuleCause) => {
    if (session.current || ending.has(session.id)) return;
    ending.add(session.id);
    actions.push({ kind: 'end', session, cause });
  };
  if (rules.inactiveDays !== null) {
    const days = rules.inactiveDays;
    // Only what the service says: a session without a last-activity time is never guessed stale.
    for (const s of sessions) if (s.lastActiveAt !== undefined && now - s.lastActiveAt > days * DAY_MS) end(s, { rule: 'inactive', days });
  }
  if (rules.unrecognised === 'end') for (const s of look.newSignIns) end(s, { rule: 'unrecognised' });

  if (rules.signOutAfterHours !== null && here?.createdAt !== undefined && now - here.createdAt > rules.signOutAfterHours * HOUR_MS) {
    // Its age is what the service says of this browser's session; a service that does not say is left alone.
    actions.push({ kind: 'sign-out-here', session: here, cause: { rule: 'older-than', hours: rules.signOutAfterHours } });
  }
  return actions;
}
