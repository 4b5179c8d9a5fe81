/**
 * The audit log as files: CSV (one row per record, the entry it belongs to in the first column; a
 * panic's record also a row per line) and JSON (the entries with their records as stored). Column
 * names are identifiers, not words for the person: the same in every language, so scripts can read the file.
 */
import { ruleOf, type AuditEntry, type AuditFilter } from './audit-log';
import type { AuditRecord, PanicSiteReport, RevokeOutcome } from './types';

/**
 * `step` (added last, so the other columns keep their places) tells a panic's rows apart: empty on
 * its summary row and on every other record's; `server` and `local` for an account's two steps,
 * `site` for the clear of the site's cookies and site data (outcome `kept` for a site kept).
 */
export const AUDIT_CSV_COLUMNS = [
  'entry', 'record', 'time', 'action', 'account', 'account_id', 'site', 'service',
  'reason', 'reason_text', 'rule', 'outcome', 'seen', 'failure', 'failure_message', 'session', 'shared_cookies', 'step',
] as const;

type Column = (typeof AUDIT_CSV_COLUMNS)[number];
type Row = Record<Column, string>;

/**
 * A cell a spreadsheet may read as a formula: one starting with = + - @ (or their full-width forms,
 * which some locales of Excel and LibreOffice take too), also after leading spaces or control
 * characters, which some apps skip; or one starting with a tab or a line break.
 */
const FORMULA_START = /^[\s\u0000-\u001f]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

/**
 * One CSV cell: safe to open in a spreadsheet, then quoted as RFC 4180 says. A leading
 * apostrophe makes a formula text in Excel, LibreOffice and Sheets. Server answers and session
 * names end up here, and a server may choose them.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An outcome's columns; a step not taken is `skipped`, with nothing seen. */
function outcomeCells(o: RevokeOutcome | 'skipped'): Pick<Row, 'outcome' | 'seen' | 'failure' | 'failure_message' | 'shared_cookies'> {
  if (o === 'skipped') return { outcome: 'skipped', seen: '', failure: '', failure_message: '', shared_cookies: '' };
  return {
    outcome: o.status,
    seen: 'seen' in o ? o.seen : '',
    failure: 'kind' in o ? o.kind : '',
    failure_message: 'message' in o ? o.message : '',
    shared_cookies: (o.sharedCookies ?? []).map((c) => c.domain).join(' '),
  };
}

function row(entryId: string, r: AuditRecord): Row {
  const s = r.session;
  return {
    entry: entryId,
    record: r.id,
    time: new Date(r.at).toISOString(),
    action: r.action,
    account: r.accountName ?? r.accountLabel,
    account_id: r.accountId,
    site: r.origin,
    service: r.connectorId,
    reason: r.reason.kind,
    reason_text: 'text' in r.reason ? r.reason.text ?? '' : '',
    rule: ruleOf(r) ?? '',
    ...outcomeCells(r.outcome),
    session: s ? [s.browser, s.os, s.device, s.ip, s.location].filter(Boolean).join(' / ') : '',
    step: '',
  };
}

/**
 * A panic's lines under its summary row, in the record's time, action and reason: per site its
 * accounts' server and local steps (the account's name and id), then the site's clear, or `kept`.
 */
function panicRows(summary: Row, sites: readonly PanicSiteReport[]): Row[] {
  const line = { ...summary, account: '', account_id: '', service: '' };
  return sites.flatMap((s) => [
    ...s.accounts.flatMap((a) => (['server', 'local'] as const).map((step) => ({
      ...line, account: a.name, account_id: a.accountId, site: s.site, ...outcomeCells(a[step]), step,
    }))),
    s.kept
      ? { ...line, site: s.site, ...outcomeCells('skipped'), outcome: 'kept', step: 'site' }
      : { ...line, site: s.site, ...(s.cleared ? outcomeCells(s.cleared) : { ...outcomeCells('skipped'), outcome: '' }), step: 'site' },
  ]);
}

function rows(entry: AuditEntry, r: AuditRecord): Row[] {
  const summary = row(entry.id, r);
  const sites = r.panic && (entry.panic ?? r.panic);
  return sites ? [summary, ...panicRows(summary, sites)] : [summary];
}

/**
 * RFC 4180: CRLF between records, a header row. A byte order mark first, so spreadsheet apps
 * read the file as UTF-8 (names and places are rarely ASCII only).
 */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const entry of entries) {
    for (const r of entry.records) for (const cells of rows(entry, r)) lines.push(AUDIT_CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export const AUDIT_JSON_FORMAT = 'revoke-audit-log';

/** The entries with their records as stored, and the filter they were chosen by. */
export function auditJson(entries: readonly AuditEntry[], filter: AuditFilter, exportedAt: number): string {
  return `${JSON.stringify(
    {
      format: AUDIT_JSON_FORMAT,
      version: 1,
      exportedAt: new Date(exportedAt).toISOString(),
      filter,
      entries: entries.map((e) => ({ id: e.id, ...(e.jobId !== undefined && { jobId: e.jobId }), at: new Date(e.at).toISOString(), records: e.records })),
    },
    null,
    2,
  )}\n`;
}
