/**
 * The audit log on the options page, in Chromium: records as the engine writes them (seeded into
 * the extension's own IndexedDB: the sign-outs that write them are covered in sessions.test.ts,
 * which also reads a real "sign out everywhere" back as one entry), grouped, filtered, searched
 * and exported (the files' content read back), with the keyboard; axe on the section; retention.
 * With REVOKE_SHOTS set (a folder), the section is saved in light and dark to be looked at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launch, removeProfile, type Launched } from './harness';
import { violations } from './axe';
import type { AuditRecord } from '../../src/sessions/types';

const SHOTS = process.env.REVOKE_SHOTS;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();

const base = {
  connectorId: 'better-auth', accountLabel: 'Work', reason: { kind: 'lost-device' },
} as const;
const RECORDS: AuditRecord[] = [
  // One "sign out everywhere": two sites, each a server and a local step.
  { ...base, id: 'e1', at: now - 2 * HOUR, jobId: 'job-1', accountId: 'acc-work', accountName: 'ann@work.test on work.test', origin: 'https://work.test', action: 'sign-out-everywhere', outcome: { status: 'confirmed', seen: 'No session is listed any more.' } },
  { ...base, id: 'e2', at: now - 2 * HOUR + 10, jobId: 'job-1', accountId: 'acc-forum', accountName: 'bob@forum.test on forum.test', origin: 'https://forum.test', connectorId: 'discourse', action: 'sign-out-everywhere', outcome: { status: 'failed', kind: 'offline', message: 'forum.test could not be reached' } },
  { ...base, id: 'e3', at: now - 2 * HOUR + 20, jobId: 'job-1', accountId: 'acc-work', accountName: 'ann@work.test on work.test', origin: 'https://work.test', action: 'local-sign-out', outcome: { status: 'confirmed', seen: 'No cookie is left.' } },
  { ...base, id: 'e4', at: now - 2 * HOUR + 30, jobId: 'job-1', accountId: 'acc-forum', accountName: 'bob@forum.test on forum.test', origin: 'https://forum.test', connectorId: 'discourse', action: 'local-sign-out', outcome: { status: 'confirmed', seen: 'No cookie is left.' } },
  // A session whose name the server chose to be a spreadsheet formula.
  { ...base, id: 's1', at: now - HOUR, accountId: 'acc-forum', accountName: 'bob@forum.test on forum.test', origin: 'https://forum.test', connectorId: 'discourse', action: 'revoke-one', reason: { kind: 'shared-computer' },
    session: { current: false, browser: '=HYPERLINK("http://evil.test","Chrome")', os: 'Linux', location: 'Zürich' },
    outcome: { status: 'not-confirmed', seen: 'The forum still lists it.' } },
  { ...base, id: 'r1', at: now - 3 * DAY, accountId: 'acc-work', accountName: 'ann@work.test on work.test', origin: 'https://work.test', action: 'revoke-others', reason: { kind: 'rule', rule: 'Idle 30 days' }, outcome: { status: 'confirmed', seen: 'Only this browser is listed.' } },
  { ...base, id: 'old', at: now - 200 * DAY, accountId: 'acc-work', accountName: 'ann@work.test on work.test', origin: 'https://work.test', action: 'revoke-all', reason: { kind: 'other', text: 'moving out' }, outcome: { status: 'confirmed', seen: 'Signed out.' } },
] as AuditRecord[];

/** Into the extension's own database (the page shares the worker's origin), as the engine writes them. */
async function seed(page: Page, records: AuditRecord[]) {
  await page.evaluate(async (rs) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open('revoke-sessions'); // whatever version the worker made
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    const tx = db.transaction('audit', 'readwrite');
    for (const r of rs) tx.objectStore('audit').add(r);
    await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); });
    db.close();
  }, records);
}

const storedIds = (page: Page) => page.evaluate(async () => {
  const reply = await chrome.runtime.sendMessage({ type: 'audit/list', body: { limit: 100 } });
  return (reply.value as { id: string }[]).map((r) => r.id).sort();
});

describe('the audit log', () => {
  let b: Launched;
  let page: Page;
  const entries = () => page.locator('ol[aria-label="Audit records"] > li');
  const ids = async () => entries().evaluateAll((lis) => lis.map((li) => li.getAttribute('data-entry')));

  beforeAll(async () => {
    b = await launch();
    page = await b.page('options.html#audit');
    await page.getByText('Nothing yet.').waitFor(); // the database exists: the worker opened it
    await seed(page, RECORDS);
    await page.reload();
    await entries().first().waitFor();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
  });

  it('shows one entry per action, a sign out everywhere with its per-site lines', async () => {
    expect(await ids()).toEqual(['s1', 'job-1', 'r1', 'old']);
    const job = page.locator('li[data-entry="job-1"]');
    await expect.poll(() => job.locator('strong').first().textContent()).toContain('Sign out everywhere · 2 sites');
    const lines = job.locator('ul.audit-lines > li');
    expect(await lines.count()).toBe(4);
    expect(await lines.nth(1).textContent()).toMatch(/bob@forum\.test on forum\.test.*On the site/);
    expect(await lines.nth(1).locator('[data-outcome="failed"]').count()).toBe(1);
    expect(await lines.nth(2).textContent()).toMatch(/In this browser/);
    await page.getByRole('status').filter({ hasText: '4 entries' }).waitFor();
  });

  it('is clean for axe with its filters shown, light and dark', async () => {
    expect(await violations(page)).toEqual({ light: [], dark: [] });
    if (SHOTS) {
      await page.setViewportSize({ width: 1100, height: 1300 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: `${SHOTS}/options-audit-${scheme}.png`, fullPage: true });
      }
      await page.emulateMedia({ colorScheme: null });
    }
  });

  it('filters by account, outcome, reason, rule and date, with the keyboard', async () => {
    const account = page.getByLabel('Account', { exact: true });
    await account.focus();
    await account.selectOption({ label: 'bob@forum.test on forum.test' });
    expect(await ids()).toEqual(['s1', 'job-1']);
    // Within the sign out everywhere, only that account's lines.
    expect(await page.locator('li[data-entry="job-1"] ul.audit-lines > li').count()).toBe(2);
    await page.getByLabel('Outcome').selectOption({ label: 'Failed' });
    expect(await ids()).toEqual(['job-1']);
    await page.getByRole('button', { name: 'Clear filters' }).press('Enter');
    expect(await ids()).toEqual(['s1', 'job-1', 'r1', 'old']);

    await page.getByLabel('Reason').selectOption({ label: 'Shared computer' });
    expect(await ids()).toEqual(['s1']);
    await page.getByLabel('Reason').selectOption({ label: 'Any' });
    await page.getByLabel('Rule', { exact: true }).selectOption('Idle 30 days');
    expect(await ids()).toEqual(['r1']);
    await page.getByLabel('Rule', { exact: true }).selectOption({ label: 'Any' });

    const day = (at: number) => { const d = new Date(at); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; };
    await page.getByLabel('From').fill(day(now - 10 * DAY));
    expect(await ids()).toEqual(['s1', 'job-1', 'r1']);
    await page.getByLabel('To').fill(day(now - 3 * DAY));
    expect(await ids()).toEqual(['r1']);
    await page.getByLabel('To').fill(day(now - 250 * DAY)); // before From: nothing
    await page.getByRole('status').filter({ hasText: 'No entries match these filters.' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    expect(await ids()).toHaveLength(4);
  });

  it('searches every word in what is stored and what is shown', async () => {
    const search = page.getByRole('searchbox', { name: 'Search the audit log' });
    await search.focus();
    await page.keyboard.type('zurich');
    expect(await ids()).toEqual(['s1']);
    await search.fill('moving');
    expect(await ids()).toEqual(['old']);
    await search.fill('Signed out of the site'); // the action as the page words it
    expect(await ids()).toEqual(['old']);
    await search.fill('forum reached');
    expect(await ids()).toEqual(['job-1']);
    await search.fill('');
    expect(await ids()).toHaveLength(4);
  });

  it('exports what the filters show as CSV, formulas defused, and as JSON', async () => {
    await page.getByLabel('Account', { exact: true }).selectOption({ label: 'bob@forum.test on forum.test' });
    const csvButton = page.getByRole('button', { name: 'Export CSV' });
    await csvButton.focus();
    const csvDownload = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const csvFile = await csvDownload;
    expect(csvFile.suggestedFilename()).toMatch(/^revoke-audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await csvFile.path(), 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('entry,record,time,action,account,account_id,site,service,reason,reason_text,rule,outcome,seen,failure,failure_message,session,shared_cookies,step');
    expect(lines.slice(1, -1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['s1,s1', 'job-1,e2', 'job-1,e4']);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.test"",""Chrome"") / Linux / Zürich"`);
    expect(lines[2]).toContain(',failed,,offline,forum.test could not be reached,');
    expect(lines.at(-1)).toBe('');

    const jsonDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const jsonFile = await jsonDownload;
    expect(jsonFile.suggestedFilename()).toMatch(/^revoke-audit-log-\d{4}-\d{2}-\d{2}\.json$/);
    const json = JSON.parse(readFileSync(await jsonFile.path(), 'utf8'));
    expect(json).toMatchObject({ format: 'revoke-audit-log', version: 1, filter: { accountId: 'acc-forum' } });
    expect(json.entries.map((e: { id: string; records: { id: string }[] }) => [e.id, e.records.map((r) => r.id)])).toEqual([['s1', ['s1']], ['job-1', ['e2', 'e4']]]);
    expect(json.entries[0].records[0]).toEqual(RECORDS.find((r) => r.id === 's1'));
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('keeps a year by default; a shorter period asks, then deletes only what is older', async () => {
    const keep = page.getByLabel('Keep records for');
    expect(await keep.inputValue()).toBe('365');
    await keep.selectOption({ label: '90 days' });
    const ask = page.getByRole('alert').filter({ hasText: '1 record is older than that and will be deleted now.' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    expect(await keep.inputValue()).toBe('365');
    expect(await storedIds(page)).toContain('old');

    await keep.selectOption({ label: '90 days' });
    await ask.waitFor();
    expect(await violations(page)).toEqual({ light: [], dark: [] });
    if (SHOTS) {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await ask.locator('xpath=ancestor::fieldset').screenshot({ path: `${SHOTS}/options-audit-retention-${scheme}.png` });
      }
      await page.emulateMedia({ colorScheme: null });
    }
    await ask.getByRole('button', { name: 'Delete them' }).click();
    await expect.poll(ids).toEqual(['s1', 'job-1', 'r1']);
    // Said once they are gone.
    await page.getByRole('status').filter({ hasText: '1 record deleted.' }).waitFor();
    expect(await storedIds(page)).toEqual(['e1', 'e2', 'e3', 'e4', 'r1', 's1']);
    await page.reload();
    expect(await page.getByLabel('Keep records for').inputValue()).toBe('90');
    // Back to a longer period: nothing to ask, nothing deleted.
    await page.getByLabel('Keep records for').selectOption({ label: 'Forever' });
    await expect.poll(() => page.evaluate(async () => (await chrome.runtime.sendMessage({ type: 'vault/snapshot', body: null })).value.settings.auditRetentionDays)).toBe(0);
    expect(await storedIds(page)).toHaveLength(6);
  });
});
