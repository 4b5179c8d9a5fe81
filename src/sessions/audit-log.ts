/**
 * The audit log as the person reads it: records grouped into one entry per action (a "sign out
 * everywhere" is one entry with a line per site step), filtered and searched. Pure: no UI, no
 * browser; the options page gives it the records and, for search, the words it shows.
 *
 * Filtering runs in memory: the log is bounded by the retention setting (audit-retention.ts), and
 * the sessions database's schema (its indexes) belongs to the session engine.
 */
import type { AuditRecord, PanicAccountLine, PanicSiteReport, RevokeOutcome } from './types';

export type OutcomeStatus = RevokeOutcome['status'];

/** One action: a record of its own, or every step of one "sign out everywhere" job. */
export interface AuditEntry {
  /** The job's id, or the record's for an action of its own. */
  id: string;
  jobId?: string;
  /** When the action started (its first record), unix ms. */
  at: number;
  /** Oldest first: the order the steps were recorded in. */
  records: AuditRecord[];
  /**
   * A panic's lines to show, when a filter narrowed them (filtered by account: the sites with that
   * account's line, and of their accounts that one); else the record's own `panic`. The record stays as stored.
   */
  panic?: PanicSiteReport[];
}

/** The accounts a panic signed out: its per-account lines (the record's own account fields are empty). */
export const panicAccounts = (r: AuditRecord): PanicAccountLine[] => (r.panic ?? []).flatMap((s) => s.accounts);

/** Whether the record is about the account: its own, or for a panic one of its lines. */
export function concernsAccount(r: AuditRecord, accountId: string): boolean {
  return r.action === 'panic' ? panicAccounts(r).some((a) => a.accountId === accountId) : r.accountId === accountId;
}

/** A panic's lines as shown filtered by account: the sites holding that account's line, with that line alone. */
export function panicLinesOf(sites: readonly PanicSiteReport[], accountId: string): PanicSiteReport[] {
  return sites
    .filter((s) => s.accounts.some((a) => a.accountId === accountId))
    .map((s) => ({ ...s, accounts: s.accounts.filter((a) => a.accountId === accountId) }));
}

/**
 * Groups records into entries, newest action first. A job's records become one entry wherever
 * they are in the input; records without a job id stay entries of their own.
 */
export function groupAudit(records: readonly AuditRecord[]): AuditEntry[] {
  const entries = new Map<string, AuditEntry>();
  for (const r of records) {
    const key = r.jobId === undefined ? `record:${r.id}` : `job:${r.jobId}`;
    const entry = entries.get(key);
    if (entry) {
      entry.records.push(r);
      entry.at = Math.min(entry.at, r.at);
    } else {
      entries.set(key, { id: r.jobId ?? r.id, ...(r.jobId !== undefined && { jobId: r.jobId }), at: r.at, records: [r] });
    }
  }
  const byTime = (a: { at: number; id: string }, b: { at: number; id: string }) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const entry of entries.values()) entry.records.sort(byTime);
  return [...entries.values()].sort((a, b) => byTime(b, a));
}

/**
 * The rule behind a record, if any. Read generically: today a rule is the reason
 * (`{ kind: 'rule', rule }`); records may also carry a `rule` of their own (a name, or an object
 * with a name or id), which wins.
 */
export function ruleOf(r: AuditRecord): string | undefined {
  const own: unknown = (r as { rule?: unknown }).rule;
  if (typeof own === 'string' && own !== '') return own;
  if (typeof own === 'object' && own !== null) {
    const { name, id } = own as { name?: unknown; id?: unknown };
    if (typeof name === 'string' && name !== '') return name;
    if (typeof id === 'string' && id !== '') return id;
  }
  return r.reason.kind === 'rule' ? r.reason.rule : undefined;
}

export interface AuditFilter {
  accountId?: string;
  outcome?: OutcomeStatus;
  /** A reason kind ('lost-device', 'rule', …), whatever kinds the records hold. */
  reason?: string;
  rule?: string;
  /** Inclusive bounds, unix ms. */
  from?: number;
  to?: number;
  /** Words that must all occur, in any case, in what a record says. */
  search?: string;
}

/** The values the records hold for each filter: the choices worth offering, none invented. */
export interface AuditFacets {
  /** Each account once, by the name of its newest record. */
  accounts: { id: string; name: string }[];
  outcomes: OutcomeStatus[];
  reasons: string[];
  rules: string[];
}

const OUTCOME_ORDER: readonly OutcomeStatus[] = ['confirmed', 'not-confirmed', 'failed'];

/** `nameOf` names a record's account as the page shows it. Records are taken as given (newest first from the store). */
export function auditFacets(records: readonly AuditRecord[], nameOf: (r: AuditRecord) => string): AuditFacets {
  const accounts = new Map<string, { at: number; name: string }>();
  const outcomes = new Set<OutcomeStatus>();
  const reasons = new Set<string>();
  const rules = new Set<string>();
  const offer = (id: string, at: number, name: () => string) => {
    const known = accounts.get(id);
    if (!known || at > known.at) accounts.set(id, { at, name: name() });
  };
  for (const r of records) {
    // A panic is not an account (its own account fields are empty): the accounts its lines name are.
    if (r.action === 'panic') for (const a of panicAccounts(r)) offer(a.accountId, r.at, () => a.name);
    else offer(r.accountId, r.at, () => nameOf(r));
    outcomes.add(r.outcome.status);
    reasons.add(r.reason.kind);
    const rule = ruleOf(r);
    if (rule !== undefined) rules.add(rule);
  }
  const collate = (a: string, b: string) => a.localeCompare(b);
  return {
    accounts: [...accounts].map(([id, { name }]) => ({ id, name })).sort((a, b) => collate(a.name, b.name) || collate(a.id, b.id)),
    outcomes: OUTCOME_ORDER.filter((o) => outcomes.has(o)),
    reasons: [...reasons].sort(collate),
    rules: [...rules].sort(collate),
  };
}

/** An outcome's own words: its status, what was seen or why it failed, the shared cookies' domains. */
const outcomeWords = (o: RevokeOutcome | 'skipped'): (string | undefined)[] => (o === 'skipped' ? [] : [
  o.status, 'seen' in o ? o.seen : undefined, 'message' in o ? o.message : undefined, 'kind' in o ? o.kind : undefined,
  ...(o.sharedCookies ?? []).map((c) => c.domain),
]);

/** The record's own words (names, site, what was seen or refused, the session; a panic's sites and their lines), for search. */
export function recordText(r: AuditRecord): string {
  const s = r.session;
  return [
    r.accountName, r.accountLabel, r.origin, r.connectorId, r.action,
    r.reason.kind, 'text' in r.reason ? r.reason.text : undefined, ruleOf(r),
    ...outcomeWords(r.outcome),
    s?.browser, s?.os, s?.device, s?.ip, s?.location,
    ...(r.panic ?? []).flatMap((site) => [
      site.site,
      ...site.accounts.flatMap((a) => [a.name, ...outcomeWords(a.server), ...outcomeWords(a.local)]),
      ...(site.cleared ? outcomeWords(site.cleared) : []),
    ]),
  ].filter((x): x is string => typeof x === 'string' && x !== '').join('\n');
}

/**
 * Typographic quotes as the plain ones a keyboard types: the page says "Didn’t", a person searches
 * "didn't". Done before NFKD, which would turn some of them (´) into a space and an accent.
 */
const QUOTES: [RegExp, string][] = [
  [/[\u2018\u2019\u201A\u201B\u2032\u2035\u02BC\u02B9\u00B4\u0060\u2039\u203A\uFF07]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u2033\u2036\u00AB\u00BB\uFF02]/g, '"'],
];
const fold = (s: string) =>
  QUOTES.reduce((text, [re, plain]) => text.replace(re, plain), s).normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/**
 * The test a record must pass. `shownText` adds what the page says about it (the action and
 * reason in the person's language), so a search finds what is on screen as well as what is stored.
 */
export function auditMatcher(filter: AuditFilter, shownText?: (r: AuditRecord) => string): (r: AuditRecord) => boolean {
  const words = fold(filter.search ?? '').split(/\s+/).filter(Boolean);
  return (r) => {
    if (filter.accountId !== undefined && !concernsAccount(r, filter.accountId)) return false;
    if (filter.outcome !== undefined && r.outcome.status !== filter.outcome) return false;
    if (filter.reason !== undefined && r.reason.kind !== filter.reason) return false;
    if (filter.rule !== undefined && ruleOf(r) !== filter.rule) return false;
    if (filter.from !== undefined && r.at < filter.from) return false;
    if (filter.to !== undefined && r.at > filter.to) return false;
    if (words.length === 0) return true;
    const text = fold(`${recordText(r)}\n${shownText?.(r) ?? ''}`);
    return words.every((w) => text.includes(w));
  };
}

/**
 * Entries whose records match, each keeping only its matching lines: filtered by account, a
 * "sign out everywhere" shows that account's steps, not the other sites', and a panic that
 * account's line (`AuditEntry.panic`).
 */
export function filterAudit(records: readonly AuditRecord[], filter: AuditFilter, shownText?: (r: AuditRecord) => string): AuditEntry[] {
  const entries = groupAudit(records.filter(auditMatcher(filter, shownText)));
  const { accountId } = filter;
  if (accountId === undefined) return entries;
  return entries.map((e) => {
    const sites = e.records[0]!.panic;
    return sites ? { ...e, panic: panicLinesOf(sites, accountId) } : e;
  });
}

/**
 * A calendar day typed in a date field ("2026-03-09") as the bounds of that day in the local time
 * zone: `from` its first millisecond, `to` its last. Anything else: undefined (no bound).
 */
export function dayBound(day: string, end: 'from' | 'to'): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const start = new Date(y, mo, d);
  if (start.getFullYear() !== y || start.getMonth() !== mo || start.getDate() !== d) return undefined;
  return end === 'from' ? start.getTime() : new Date(y, mo, d + 1).getTime() - 1;
}
