/**
 * The audit log as files: CSV (one row per record, the entry it belongs to in the first column)
 * and JSON (the entries with their records as stored). Column names are identifiers, not words
 * for the person: the same in every language, so scripts can read the file.
 */
import { ruleOf, type AuditEntry, type AuditFilter } from './audit-log';
import type { AuditRecord } from './types';

export const AUDIT_CSV_COLUMNS = [
  'entry', 'record', 'time', 'action', 'account', 'account_id', 'site', 'service',
  'reason', 'reason_text', 'rule', 'outcome', 'seen', 'failure', 'failure_message', 'session', 'shared_cookies',
] as const;

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

function row(entryId: string, r: AuditRecord): string[] {
  const o = r.outcome;
  const s = r.session;
  return [
    entryId,
    r.id,
    new Date(r.at).toISOString(),
    r.action,
    r.accountName ?? r.accountLabel,
    r.accountId,
    r.origin,
    r.connectorId,
    r.reason.kind,
    'text' in r.reason ? r.reason.text ?? '' : '',
    ruleOf(r) ?? '',
    o.status,
    'seen' in o ? o.seen : '',
    'kind' in o ? o.kind : '',
    'message' in o ? o.message : '',
    s ? [s.browser, s.os, s.device, s.ip, s.location].filter(Boolean).join(' / ') : '',
    (o.sharedCookies ?? []).map((c) => c.domain).join(' '),
  ];
}

/**
 * RFC 4180: CRLF between records, a header row. A byte order mark first, so spreadsheet apps
 * read the file as UTF-8 (names and places are rarely ASCII only).
 */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const entry of entries) for (const r of entry.records) lines.push(row(entry.id, r).map(csvCell).join(','));
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
