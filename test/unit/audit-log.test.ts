/** The audit log's domain: grouping by action, filters and search, CSV/JSON export, retention pruning. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { auditFacets, auditMatcher, dayBound, filterAudit, groupAudit, ruleOf } from '../../src/sessions/audit-log';
import { AUDIT_CSV_COLUMNS, auditCsv, auditJson, csvCell } from '../../src/sessions/audit-export';
import { pruneAudit, retentionCutoff } from '../../src/sessions/audit-retention';
import { createAuditPruner, AUDIT_PRUNE_ALARM } from '../../src/background/audit-pruning';
import { appendAudit, listAudit, openSessionsDb } from '../../src/sessions/db';
import { sanitizeSettings } from '../../src/background/settings';
import { DEFAULT_SETTINGS } from '../../src/lib/messages';
import { shownText } from '../../src/options/audit-text';
import type { AuditRecord, PanicSiteReport } from '../../src/sessions/types';

const DAY = 86_400_000;
let n = 0;
function rec(over: Partial<AuditRecord> & { at: number }): AuditRecord {
  const id = over.id ?? `r${++n}`;
  return {
    id, accountId: 'acc-a', accountLabel: 'Work', accountName: 'ann@work.test on work.test', connectorId: 'better-auth',
    origin: 'https://work.test', action: 'revoke-one', outcome: { status: 'confirmed', seen: 'No longer listed.' },
    reason: { kind: 'lost-device' }, ...over,
  };
}

describe('grouping', () => {
  it('makes one entry per action: a job\'s steps together (oldest first), other records alone, newest action first', () => {
    const records = [
      rec({ id: 'solo-new', at: 5000 }),
      rec({ id: 'j-local-b', at: 4200, jobId: 'job1', accountId: 'b', action: 'local-sign-out' }),
      rec({ id: 'j-server-a', at: 4000, jobId: 'job1', action: 'sign-out-everywhere' }),
      rec({ id: 'solo-between', at: 4100 }),
      rec({ id: 'j-server-b', at: 4050, jobId: 'job1', accountId: 'b', action: 'sign-out-everywhere' }),
      rec({ id: 'solo-old', at: 1000 }),
    ];
    const entries = groupAudit(records);
    expect(entries.map((e) => e.id)).toEqual(['solo-new', 'solo-between', 'job1', 'solo-old']);
    const job = entries[2]!;
    expect(job).toMatchObject({ jobId: 'job1', at: 4000 });
    expect(job.records.map((r) => r.id)).toEqual(['j-server-a', 'j-server-b', 'j-local-b']);
    expect(entries[0]).not.toHaveProperty('jobId');
    expect(entries[0]!.records).toHaveLength(1);
  });

  it('two jobs stay apart, and records at the same millisecond keep a stable order', () => {
    const entries = groupAudit([rec({ id: 'x2', at: 10, jobId: 'B' }), rec({ id: 'x1', at: 10, jobId: 'A' }), rec({ id: 'x3', at: 10, jobId: 'A' })]);
    expect(entries.map((e) => [e.id, e.records.map((r) => r.id)])).toEqual([['B', ['x2']], ['A', ['x1', 'x3']]]);
  });
});

describe('filters and search', () => {
  const records = [
    rec({ id: 'a1', at: Date.UTC(2026, 0, 10, 12), jobId: 'job', action: 'sign-out-everywhere' }),
    rec({ id: 'b1', at: Date.UTC(2026, 0, 10, 12, 1), jobId: 'job', accountId: 'acc-b', accountName: 'bob@forum.test on forum.test', origin: 'https://forum.test', connectorId: 'discourse', action: 'sign-out-everywhere', outcome: { status: 'failed', kind: 'offline', message: 'could not be reached' } }),
    rec({ id: 'r1', at: Date.UTC(2026, 2, 1), reason: { kind: 'rule', rule: 'Unknown country' }, outcome: { status: 'not-confirmed', seen: 'Still listed.' } }),
    // A record with a rule of its own (added by the rules feature), and a session from Zürich.
    { ...rec({ id: 'r2', at: Date.UTC(2026, 3, 1), reason: { kind: 'other', text: 'Tidy up' }, session: { current: false, browser: 'Firefox', os: 'Linux', location: 'Zürich' } }), rule: { id: 'r-7', name: 'Idle 30 days' } } as AuditRecord,
  ];

  it('by account: a job keeps only that account\'s lines', () => {
    const entries = filterAudit(records, { accountId: 'acc-b' });
    expect(entries.map((e) => e.id)).toEqual(['job']);
    expect(entries[0]!.records.map((r) => r.id)).toEqual(['b1']);
  });

  it('by outcome, reason and rule (a rule as the reason or a rule field of its own)', () => {
    expect(filterAudit(records, { outcome: 'failed' }).flatMap((e) => e.records.map((r) => r.id))).toEqual(['b1']);
    expect(filterAudit(records, { outcome: 'not-confirmed' }).map((e) => e.id)).toEqual(['r1']);
    expect(filterAudit(records, { reason: 'lost-device' }).map((e) => e.id)).toEqual(['job']);
    expect(filterAudit(records, { reason: 'rule' }).map((e) => e.id)).toEqual(['r1']);
    expect(filterAudit(records, { rule: 'Unknown country' }).map((e) => e.id)).toEqual(['r1']);
    expect(filterAudit(records, { rule: 'Idle 30 days' }).map((e) => e.id)).toEqual(['r2']);
    expect(ruleOf(records[0]!)).toBeUndefined();
    expect(ruleOf({ ...records[0]!, rule: 'named' } as AuditRecord)).toBe('named');
  });

  it('by date, inclusive of both days, in the local time zone', () => {
    const from = dayBound('2026-03-01', 'from')!;
    const to = dayBound('2026-03-01', 'to')!;
    expect(to - from).toBe(DAY - 1);
    expect(new Date(from).getHours()).toBe(0);
    const local = (y: number, m: number, d: number, h = 0) => new Date(y, m, d, h).getTime();
    const day = [rec({ id: 'before', at: local(2026, 1, 28, 23) }), rec({ id: 'start', at: local(2026, 2, 1) }), rec({ id: 'end', at: to }), rec({ id: 'after', at: to + 1 })];
    expect(filterAudit(day, { from, to }).map((e) => e.id)).toEqual(['end', 'start']);
    expect(filterAudit(day, { from: dayBound('2026-03-02', 'from') }).map((e) => e.id)).toEqual(['after']);
    expect(dayBound('2026-02-30', 'from')).toBeUndefined();
    expect(dayBound('', 'to')).toBeUndefined();
  });

  it('search: every word, any case and accents, in stored text and in what the page shows', () => {
    const ids = (search: string, shown?: (r: AuditRecord) => string) => filterAudit(records, { search }, shown).flatMap((e) => e.records.map((r) => r.id));
    expect(ids('FORUM')).toEqual(['b1']);
    expect(ids('zurich firefox')).toEqual(['r2']);
    expect(ids('zurich chrome')).toEqual([]);
    expect(ids('reached')).toEqual(['b1']);
    expect(ids('tidy')).toEqual(['r2']);
    expect(ids('still listed')).toEqual(['r1']);
    expect(ids('verloren', (r) => (r.reason.kind === 'lost-device' ? 'Gerät verloren' : ''))).toEqual(['a1', 'b1']);
    expect(ids('   ')).toHaveLength(4);
    // Filters combine.
    expect(auditMatcher({ accountId: 'acc-a', search: 'forum' })(records[1]!)).toBe(false);
  });

  it('offers as choices only what the records hold', () => {
    const facets = auditFacets(records, (r) => r.accountName ?? r.accountLabel);
    expect(facets.accounts).toEqual([
      { id: 'acc-a', name: 'ann@work.test on work.test' },
      { id: 'acc-b', name: 'bob@forum.test on forum.test' },
    ]);
    expect(facets.outcomes).toEqual(['confirmed', 'not-confirmed', 'failed']);
    expect(facets.reasons).toEqual(['lost-device', 'other', 'rule']);
    expect(facets.rules).toEqual(['Idle 30 days', 'Unknown country']);
  });
});

/** A panic as panic.ts records it: one record, its account fields empty, a line per site. */
const PANIC_SITES: PanicSiteReport[] = [
  {
    site: 'b.localhost', kept: false, cookies: 3,
    accounts: [{
      accountId: 'acc-b', name: 'bob on b.localhost:8443', endsOthers: true,
      server: { status: 'confirmed', seen: 'No session left on the list.' },
      local: { status: 'confirmed', seen: 'No cookie left here.' },
    }],
    cleared: { status: 'confirmed', seen: 'This browser holds no cookie of b.localhost any more, and its site data was cleared.' },
  },
  {
    site: 'any.test', kept: false, cookies: 1,
    accounts: [{
      accountId: 'acc-any', name: 'Any site (any.test:9000)', endsOthers: false,
      server: 'skipped', local: { status: 'failed', kind: 'permission', message: 'Host access was taken back.' },
    }],
    cleared: { status: 'not-confirmed', seen: 'This browser still holds 1 cookie of any.test: sid.' },
  },
  { site: 'plain.test', kept: false, cookies: 2, accounts: [], cleared: { status: 'confirmed', seen: 'Gone from plain.test.' } },
  { site: 'mail.test', kept: true, cookies: 4, accounts: [] },
];
const panicRec = (over: Partial<AuditRecord> & { at: number }): AuditRecord => ({
  id: `p${++n}`, accountId: '', accountLabel: '', connectorId: '', origin: '', action: 'panic',
  outcome: { status: 'failed', kind: 'permission', message: 'Panic: 1 sites signed out, 1 cleared in this browser only, 1 not confirmed, 1 failed, 1 kept.' },
  reason: { kind: 'shared-computer' }, panic: PANIC_SITES, ...over,
});

describe('panic entries', () => {
  const panic = panicRec({ id: 'panic', at: Date.UTC(2026, 5, 1) });
  const records = [
    panic,
    rec({ id: 'b-own', at: Date.UTC(2026, 4, 1), accountId: 'acc-b', accountName: 'bob on b.localhost:8443', origin: 'http://b.localhost:8443' }),
    rec({ id: 'other', at: Date.UTC(2026, 3, 1), reason: { kind: 'unrecognised' } }),
  ];
  const ids = (search: string) => filterAudit(records, { search }, shownText).map((e) => e.id);

  it('search finds the sites, ports, account names and outcome sentences a panic\'s lines show', () => {
    expect(ids('plain.test')).toEqual(['panic']);
    expect(ids('mail.test')).toEqual(['panic']); // a kept site
    expect(ids('b.localhost')).toEqual(['panic', 'b-own']);
    expect(ids('9000')).toEqual(['panic']);
    expect(ids('any site')).toEqual(['panic']);
    expect(ids('every device')).toEqual(['panic']); // "the sessions on every device", the server step's head
    expect(ids('no way to end sessions')).toEqual(['panic']); // a skipped server step
    expect(ids('kept, untouched')).toEqual(['panic']);
    expect(ids('taken back')).toEqual(['panic']); // a failure's own message
    expect(ids('still holds sid')).toEqual(['panic']);
    expect(ids('every cookie and the site data')).toEqual(['panic']);
  });

  it('a panic is no account choice; the accounts its lines signed out are, "Any site" ones too', () => {
    const facets = auditFacets(records, (r) => (r.action === 'panic' ? 'Panic' : r.accountName ?? r.accountLabel));
    expect(facets.accounts).toEqual([
      { id: 'acc-a', name: 'ann@work.test on work.test' },
      { id: 'acc-any', name: 'Any site (any.test:9000)' },
      { id: 'acc-b', name: 'bob on b.localhost:8443' },
    ]);
    expect(facets.accounts.map((a) => a.id)).not.toContain('');
    // The name a panic line gives wins when it is the newest.
    const renamed = panicRec({ id: 'later', at: Date.UTC(2026, 6, 1), panic: [{ ...PANIC_SITES[0]!, accounts: [{ ...PANIC_SITES[0]!.accounts[0]!, name: 'robert on b.localhost:8443' }] }] });
    expect(auditFacets([renamed, ...records], (r) => r.accountName ?? '').accounts).toContainEqual({ id: 'acc-b', name: 'robert on b.localhost:8443' });
  });

  it('filtered by an account a panic signed out, the panic shows with that account\'s line alone', () => {
    const byB = filterAudit(records, { accountId: 'acc-b' });
    expect(byB.map((e) => e.id)).toEqual(['panic', 'b-own']);
    expect(byB[0]!.records).toEqual([panic]); // the record as stored, for the JSON export
    expect(byB[0]!.panic).toEqual([PANIC_SITES[0]]);
    expect(byB[1]).not.toHaveProperty('panic');

    const byAny = filterAudit(records, { accountId: 'acc-any' });
    expect(byAny.map((e) => e.id)).toEqual(['panic']);
    expect(byAny[0]!.panic!.map((s) => [s.site, s.accounts.map((a) => a.accountId)])).toEqual([['any.test', ['acc-any']]]);

    // An account the panic did not touch does not bring it along, and the empty id is no account.
    expect(filterAudit(records, { accountId: 'acc-a' }).map((e) => e.id)).toEqual(['other']);
    expect(filterAudit(records, { accountId: '' }).map((e) => e.id)).toEqual([]);
    // Unfiltered, the panic shows all its lines.
    expect(filterAudit(records, {})[0]).not.toHaveProperty('panic');
  });

  it('search folds typographic quotes: "didn\'t" finds the page\'s "Didn’t", and the other way round', () => {
    expect(shownText(records[2]!)).toContain('Didn’t');
    expect(ids("didn't recognise")).toEqual(['other']);
    expect(ids('DIDN’T')).toEqual(['other']);
    const quoted = rec({ id: 'q', at: 1, reason: { kind: 'other', text: 'it said „nope“ and didn\'t' } });
    expect(filterAudit([quoted], { search: '"nope" didn’t' }).map((e) => e.id)).toEqual(['q']);
    expect(filterAudit([quoted], { search: '«nope»' }).map((e) => e.id)).toEqual(['q']);
  });
});

describe('export', () => {
  it('a CSV cell is defused against formulas, then quoted as RFC 4180 says', () => {
    expect(csvCell('plain')).toBe('plain');
    for (const lead of ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠', ' =', '\u0000=', '\n ='])
      expect(csvCell(`${lead}1+1`).startsWith(/[\r\n]/.test(lead) ? `"'` : `'`), JSON.stringify(lead)).toBe(true);
    expect(csvCell('a = b')).toBe('a = b');
    expect(csvCell('=HYPERLINK("http://evil.test","x")')).toBe(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(csvCell('-2')).toBe(`'-2`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('\tcmd')).toBe(`'\tcmd`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('a=b')).toBe('a=b'); // only a leading sign makes a formula
    expect(csvCell('')).toBe('');
  });

  it('CSV: a header, one row per record with its entry, CRLF, hostile server text defused', () => {
    const hostile = rec({
      id: 'h1', at: Date.UTC(2026, 4, 2, 8, 30), jobId: 'job9', action: 'sign-out-everywhere',
      outcome: { status: 'failed', kind: 'server', message: '=cmd|\' /C calc\'!A0' },
      session: { current: false, browser: '+Chrome, "new"', os: 'Linux' },
    });
    const other = rec({ id: 'h2', at: Date.UTC(2026, 4, 2, 8, 31), jobId: 'job9', action: 'local-sign-out', reason: { kind: 'other', text: 'line one\nline two' } });
    const csv = auditCsv(groupAudit([hostile, other]));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = parseCsv(csv.slice(1));
    expect(lines[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(lines).toHaveLength(3);
    const row = Object.fromEntries(AUDIT_CSV_COLUMNS.map((c, i) => [c, lines[1]![i]]));
    expect(row).toMatchObject({
      entry: 'job9', record: 'h1', time: '2026-05-02T08:30:00.000Z', action: 'sign-out-everywhere', account: 'ann@work.test on work.test',
      site: 'https://work.test', outcome: 'failed', failure: 'server', failure_message: `'=cmd|' /C calc'!A0`, session: `'+Chrome, "new" / Linux`,
    });
    expect(lines[2]![AUDIT_CSV_COLUMNS.indexOf('reason_text')]).toBe('line one\nline two');
    expect(csv.endsWith('\r\n')).toBe(true);
    // Outside quotes, rows end in CRLF only.
    expect(csv.replace(/"(?:[^"]|"")*"/g, '').match(/\n/g)!.length).toBe(3);
    expect(csv.replace(/"(?:[^"]|"")*"/g, '')).not.toMatch(/[^\r]\n/);
  });

  it('CSV: a panic is its summary row, then a row per line (each account\'s two steps, each site\'s clear or kept), all in its entry', () => {
    const hostileSites: PanicSiteReport[] = [
      ...PANIC_SITES,
      { site: 'evil.test', kept: false, cookies: 1, accounts: [{ accountId: 'acc-e', name: '=HYPERLINK("x")', endsOthers: true, server: { status: 'not-confirmed', seen: '+1 still listed, "really"' }, local: 'skipped' }], cleared: { status: 'confirmed', seen: '@gone', sharedCookies: [{ domain: 'evil.test', names: ['sid'] }] } },
    ];
    const panic = panicRec({ id: 'px', at: Date.UTC(2026, 5, 1, 9), reason: { kind: 'other', text: 'lost bag' }, panic: hostileSites });
    const table = parseCsv(auditCsv(groupAudit([panic])).slice(1));
    expect(table[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    const rows = table.slice(1).map((cells) => Object.fromEntries(AUDIT_CSV_COLUMNS.map((c, i) => [c, cells[i]])));
    const pick = (r: Record<string, string | undefined>) => [r.step, r.site, r.account, r.account_id, r.outcome, r.seen, r.failure, r.failure_message];
    expect(rows.map(pick)).toEqual([
      ['', '', '', '', 'failed', '', 'permission', 'Panic: 1 sites signed out, 1 cleared in this browser only, 1 not confirmed, 1 failed, 1 kept.'],
      ['server', 'b.localhost', 'bob on b.localhost:8443', 'acc-b', 'confirmed', 'No session left on the list.', '', ''],
      ['local', 'b.localhost', 'bob on b.localhost:8443', 'acc-b', 'confirmed', 'No cookie left here.', '', ''],
      ['site', 'b.localhost', '', '', 'confirmed', 'This browser holds no cookie of b.localhost any more, and its site data was cleared.', '', ''],
      ['server', 'any.test', 'Any site (any.test:9000)', 'acc-any', 'skipped', '', '', ''],
      ['local', 'any.test', 'Any site (any.test:9000)', 'acc-any', 'failed', '', 'permission', 'Host access was taken back.'],
      ['site', 'any.test', '', '', 'not-confirmed', 'This browser still holds 1 cookie of any.test: sid.', '', ''],
      ['site', 'plain.test', '', '', 'confirmed', 'Gone from plain.test.', '', ''],
      ['site', 'mail.test', '', '', 'kept', '', '', ''],
      ['server', 'evil.test', `'=HYPERLINK("x")`, 'acc-e', 'not-confirmed', `'+1 still listed, "really"`, '', ''],
      ['local', 'evil.test', `'=HYPERLINK("x")`, 'acc-e', 'skipped', '', '', ''],
      ['site', 'evil.test', '', '', 'confirmed', `'@gone`, '', ''],
    ]);
    // Every row is the panic's: its entry, record, time, action and reason.
    for (const r of rows) expect(r).toMatchObject({ entry: 'px', record: 'px', time: '2026-06-01T09:00:00.000Z', action: 'panic', reason: 'other', reason_text: 'lost bag' });
    expect(rows.at(-1)!.shared_cookies).toBe('evil.test');

    // Filtered by account, the lines are that account's: its steps and its site's clear.
    const byAny = parseCsv(auditCsv(filterAudit([panic], { accountId: 'acc-any' })).slice(1)).slice(1);
    expect(byAny.map((cells) => [cells[AUDIT_CSV_COLUMNS.indexOf('step')], cells[AUDIT_CSV_COLUMNS.indexOf('site')]])).toEqual([
      ['', ''], ['server', 'any.test'], ['local', 'any.test'], ['site', 'any.test'],
    ]);
  });

  it('JSON: the entries with their records as stored, and the filter', () => {
    const records = [rec({ id: 'j1', at: 2000, jobId: 'J' }), rec({ id: 'j2', at: 2100, jobId: 'J' }), rec({ id: 's', at: 1000 })];
    const parsed = JSON.parse(auditJson(groupAudit(records), { outcome: 'confirmed' }, Date.UTC(2026, 0, 1)));
    expect(parsed).toMatchObject({ format: 'revoke-audit-log', version: 1, exportedAt: '2026-01-01T00:00:00.000Z', filter: { outcome: 'confirmed' } });
    expect(parsed.entries.map((e: { id: string }) => e.id)).toEqual(['J', 's']);
    expect(parsed.entries[0].records).toEqual([records[0], records[1]]);
    expect(parsed.entries[1]).not.toHaveProperty('jobId');
  });
});

/** A strict RFC 4180 reader: the test does not trust the writer to read its own output. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          i++;
          break;
        }
        cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === ',') { i++; continue; }
    if (text.startsWith('\r\n', i)) { i += 2; rows.push(row); row = []; continue; }
    if (i < text.length) throw new Error(`bad line end at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}

describe('retention', () => {
  let dbs = 0;
  const fresh = () => openSessionsDb(`audit-retention-${++dbs}-${Math.random().toString(36).slice(2)}`);

  it('the setting takes only the periods offered; a year by default', () => {
    expect(DEFAULT_SETTINGS.auditRetentionDays).toBe(365);
    expect(sanitizeSettings({ auditRetentionDays: 30 }).auditRetentionDays).toBe(30);
    expect(sanitizeSettings({ auditRetentionDays: 0 }).auditRetentionDays).toBe(0);
    expect(sanitizeSettings({ auditRetentionDays: 1 }).auditRetentionDays).toBe(365);
    expect(sanitizeSettings({ auditRetentionDays: '90' }).auditRetentionDays).toBe(365);
    expect(sanitizeSettings({ auditRetentionDays: 7 }, { ...DEFAULT_SETTINGS, auditRetentionDays: 730 }).auditRetentionDays).toBe(730);
    expect(retentionCutoff(0, 5 * DAY)).toBeNull();
    expect(retentionCutoff(30, 100 * DAY)).toBe(70 * DAY);
  });

  it('prunes only records older than the cutoff, in bounded batches, none at the cutoff or after', async () => {
    const db = await fresh();
    const cutoff = 1000 * DAY;
    // 25 old records (some sharing a millisecond), one exactly at the cutoff, a few after.
    for (let i = 0; i < 25; i++) await appendAudit(db, rec({ id: `old-${String(i).padStart(2, '0')}`, at: cutoff - DAY - (i % 5) }));
    await appendAudit(db, rec({ id: 'at-cutoff', at: cutoff }));
    await appendAudit(db, rec({ id: 'just-before', at: cutoff - 1 }));
    for (let i = 0; i < 3; i++) await appendAudit(db, rec({ id: `new-${i}`, at: cutoff + i }));
    const batches: number[] = [];
    const tx = db.transaction.bind(db);
    // Counts the transactions pruning opens: bounded batches are separate transactions.
    (db as { transaction: typeof db.transaction }).transaction = ((...args: Parameters<typeof db.transaction>) => {
      batches.push(0);
      return tx(...args);
    }) as typeof db.transaction;
    expect(await pruneAudit(db, cutoff, 10)).toBe(26);
    expect(batches).toHaveLength(3); // 10 + 10 + 6
    (db as { transaction: typeof db.transaction }).transaction = tx;
    const left = (await listAudit(db, { limit: 100 })).map((r) => r.id).sort();
    expect(left).toEqual(['at-cutoff', 'new-0', 'new-1', 'new-2']);
    expect(await pruneAudit(db, cutoff, 10)).toBe(0);
    db.close();
  });

  it('the pruner: on start (keeping a daily alarm), on its alarm, by the setting of the moment, with a fake clock', async () => {
    const db = await fresh();
    let now = 400 * DAY;
    let days: 30 | 365 | 0 = 365;
    const alarms = new Map<string, { delayInMinutes: number; periodInMinutes: number }>();
    const pruner = createAuditPruner({
      db: async () => db,
      alarms: { get: async (name) => alarms.get(name), create: (name, info) => void alarms.set(name, info) },
      now: () => now,
      retentionDays: async () => days,
    });
    for (const age of [1, 29, 31, 364, 366, 500]) await appendAudit(db, rec({ id: `age-${age}`, at: now - age * DAY }));
    const ids = async () => (await listAudit(db, { limit: 100 })).map((r) => r.id);

    expect(await pruner.start()).toBe(2); // 366 and 500 days old: past a year
    expect(alarms.get(AUDIT_PRUNE_ALARM)).toEqual({ delayInMinutes: 1440, periodInMinutes: 1440 });
    expect(await ids()).toEqual(['age-1', 'age-29', 'age-31', 'age-364']);

    alarms.set(AUDIT_PRUNE_ALARM, { delayInMinutes: 5, periodInMinutes: 1440 });
    await pruner.start(); // a restart leaves the alarm as it is
    expect(alarms.get(AUDIT_PRUNE_ALARM)!.delayInMinutes).toBe(5);

    now += 2 * DAY; // a day later the alarm fires: 364 days became 366
    expect(await pruner.onAlarm('revoke/autolock')).toBeNull();
    expect(await pruner.onAlarm(AUDIT_PRUNE_ALARM)).toBe(1);
    expect(await ids()).toEqual(['age-1', 'age-29', 'age-31']);

    days = 0; // forever: nothing goes
    now += 1000 * DAY;
    expect(await pruner.pruneNow()).toBe(0);
    expect(await ids()).toHaveLength(3);

    days = 30; // shortened: records older than 30 days go (29 and 31 days old then, 31 and 33 now), two callers at once
    now -= 1000 * DAY;
    const [first, second] = await Promise.all([pruner.pruneNow(), pruner.pruneNow()]);
    expect([first, second]).toEqual([2, 0]);
    expect(await ids()).toEqual(['age-1']);
    db.close();
  });
});
