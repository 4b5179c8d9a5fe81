import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { encode } from 'uqr';
import { launch, removeProfile, type Launched } from './harness';
import { awayFromBoundary, referenceTotp } from './totp-reference';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = path.resolve(repoRoot, 'test/fixtures/otp-exports');
const AEGIS = path.join(FIXTURES, 'aegis_encrypted.json');
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'));
const aegis = expected.files['aegis_encrypted.json'] as {
  password: string;
  entries: { type: string; issuer: string; name: string; secret: string; algorithm: string; digits: number; period?: number }[];
};

const PASSWORD = 'import export vault password';
const BACKUP_PASSWORD = 'backup password 42';

// ---------------------------------------------------------------------------------------------
// Helpers

async function createVault(page: Page): Promise<void> {
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('heading', { name: 'Import & backup' }).waitFor();
}

/** Through the drop zone's button and the browser's file chooser, as a person picks a file. */
async function pickFile(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }, { keyboard = false } = {}): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  const zone = page.getByRole('button', { name: /Choose a file to import/ });
  if (keyboard) {
    await zone.focus();
    await page.keyboard.press('Enter');
  } else {
    await zone.click();
  }
  await (await chooser).setFiles(file);
}

const rowBoxes = (page: Page) => page.getByRole('group', { name: 'Import preview' }).getByRole('checkbox', { name: /^Import / });

async function snapshotEntries(page: Page) {
  return page.evaluate(async () => (await chrome.runtime.sendMessage({ type: 'vault/snapshot', body: null })).value.entries as {
    type: string; secret: string; algorithm: string; digits: number; period: number; counter: number;
    issuer: string; account: string; note: string; site: string; pinned: boolean;
  }[]);
}

const comparable = (entries: Awaited<ReturnType<typeof snapshotEntries>>) => entries.map((e) => ({
  type: e.type, secret: e.secret, algorithm: e.algorithm, digits: e.digits, period: e.period, counter: e.counter,
  issuer: e.issuer, account: e.account, note: e.note, site: e.site, pinned: e.pinned,
}));

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A code's button is named by what it shows: the name, the account, the digits, then "copy code". */
const codeButton = (popup: Page, name: string) =>
  popup.getByRole('button', { name: new RegExp(`^${escapeRegExp(name)} [\\d ]+: copy code$`) });

async function shownCode(popup: Page, name: string): Promise<string> {
  const code = codeButton(popup, name).locator('.otp');
  await code.waitFor();
  return (await code.getAttribute('data-code'))!;
}

/** A PNG (8-bit grey) of a QR code for `text`, `scale` pixels a module, at (x, y) on a white canvas. */
function qrPng(text: string, { scale = 6, width = 0, height = 0, x = 0, y = 0 } = {}): Buffer {
  const qr = encode(text, { border: 4, ecc: 'M' });
  const side = qr.size * scale;
  const w = Math.max(width, x + side);
  const h = Math.max(height, y + side);
  const raw = Buffer.alloc((w + 1) * h, 255);
  for (let row = 0; row < h; row++) {
    raw[row * (w + 1)] = 0; // filter: none
    for (let col = 0; col < w; col++) {
      const my = Math.floor((row - y) / scale);
      const mx = Math.floor((col - x) / scale);
      if (qr.data[my]?.[mx]) raw[row * (w + 1) + 1 + col] = 0;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A Google Authenticator export link (protobuf MigrationPayload), written here independently of the reader. */
function migrationLink(accounts: { secret: number[]; name: string; issuer: string }[], batch: { size: number; index: number; id: number }): string {
  const varint = (n: number) => {
    const out: number[] = [];
    for (; n > 127; n = Math.floor(n / 128)) out.push((n & 127) | 128);
    return [...out, n];
  };
  const num = (field: number, n: number) => [...varint(field << 3), ...varint(n)];
  const bytes = (field: number, b: number[]) => [...varint((field << 3) | 2), ...varint(b.length), ...b];
  const text = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);
  const payload = [
    ...accounts.flatMap((a) => bytes(1, [...bytes(1, a.secret), ...text(2, a.name), ...text(3, a.issuer), ...num(4, 1), ...num(5, 1), ...num(6, 2)])),
    ...num(2, 1), ...num(3, batch.size), ...num(4, batch.index), ...num(5, batch.id),
  ];
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(payload).toString('base64'))}`;
}

/** What a person's Ctrl+V of a screenshot delivers: a paste event carrying an image file. */
async function pasteImage(page: Page, png: Buffer): Promise<void> {
  await page.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png.toString('base64'));
}

// ---------------------------------------------------------------------------------------------

describe('import and backup on the options page', () => {
  let b: Launched;
  let page: Page;
  const toClose: Launched[] = [];
  beforeAll(async () => {
    b = await launch();
    page = await b.page('options.html#import');
    await createVault(page);
  });
  afterAll(async () => {
    for (const x of [b, ...toClose]) {
      await x?.close();
      if (x) removeProfile(x.profile);
    }
  });

  it('imports the encrypted Aegis export: wrong password refused, then the right one, codes match', async () => {
    await pickFile(page, AEGIS);
    await page.getByText('This Aegis export is encrypted').waitFor();
    await page.getByLabel('File password').fill('not the password');
    await page.getByRole('button', { name: 'Unlock file' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/wrong password/i);
    // The field stays for another try; nothing was stored.
    await page.getByLabel('File password').fill(aegis.password);
    await page.getByRole('button', { name: 'Unlock file' }).click();
    await expect.poll(() => rowBoxes(page).count(), { timeout: 15_000 }).toBe(aegis.entries.length);
    expect(await snapshotEntries(page)).toEqual([]);
    for (const e of aegis.entries) await page.getByRole('cell', { name: e.issuer, exact: true }).waitFor();

    await page.getByRole('button', { name: `Import ${aegis.entries.length} codes` }).click();
    await page.getByRole('status').filter({ hasText: `Imported ${aegis.entries.length} codes.` }).waitFor();
    expect((await snapshotEntries(page)).map((e) => e.issuer)).toEqual(aegis.entries.map((e) => e.issuer));

    const popup = await b.page('popup.html');
    for (const e of aegis.entries.filter((x) => x.type === 'totp').slice(0, 2)) {
      const opts = { period: e.period!, digits: e.digits, algo: e.algorithm.toLowerCase() };
      await awayFromBoundary(opts.period);
      expect(await shownCode(popup, `${e.issuer} ${e.name}`)).toBe(referenceTotp(e.secret, Date.now(), opts));
    }
    await popup.close();
  });

  it('marks every entry of the same file as a duplicate, unchecked: importing it again adds nothing', async () => {
    await pickFile(page, AEGIS, { keyboard: true });
    await page.getByLabel('File password').fill(aegis.password);
    await page.getByRole('button', { name: 'Unlock file' }).click();
    await expect.poll(() => rowBoxes(page).count(), { timeout: 15_000 }).toBe(aegis.entries.length);
    const preview = page.getByRole('group', { name: 'Import preview' });
    expect(await preview.getByText('duplicate', { exact: true }).count()).toBe(aegis.entries.length);
    for (const box of await rowBoxes(page).all()) expect(await box.isChecked()).toBe(false);
    const importButton = preview.getByRole('button', { name: 'Import 0 codes' });
    expect(await importButton.isDisabled()).toBe(true);
    await preview.getByRole('button', { name: 'Cancel' }).click();
    expect(await snapshotEntries(page)).toHaveLength(aegis.entries.length);
  });

  it('refuses a file that is too large or not an export, changing nothing', async () => {
    const before = await snapshotEntries(page);
    // Dropped on the drop zone (the file made in the page: cheaper than sending 21 MB to the browser).
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(21 * 1024 * 1024).fill(0x20)], 'huge.json', { type: 'application/json' }));
      const zone = document.querySelector('.dropzone')!;
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/huge\.json is too large .*limit is 20 MB/);
    await pickFile(page, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('{"hello": "world"}') });
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not an export format Revoke knows/);
    expect(await snapshotEntries(page)).toEqual(before);
  });

  it('imports pasted text: the good link in, the bad line listed as left out; unknown text refused', async () => {
    const box = page.getByLabel(/Or paste otpauth/);
    await box.fill('Just some notes, no links here');
    await page.getByRole('button', { name: 'Read pasted text' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/no otpauth:\/\/ .*links/);

    await box.fill('otpauth://totp/Pasted:me@example.test?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Pasted\notpauth://totp/Broken?secret=not*base32\n');
    await page.getByRole('button', { name: 'Read pasted text' }).click();
    await expect.poll(() => rowBoxes(page).count()).toBe(1);
    const leftOut = page.getByRole('group', { name: 'Import preview' }).locator('.problems');
    await expect.poll(() => leftOut.textContent()).toMatch(/Left out: Line 2.*base32/i);
    await page.getByRole('button', { name: 'Import 1 code', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 1 code.' }).waitFor();
    expect((await snapshotEntries(page)).map((e) => e.issuer)).toContain('Pasted');
  });

  it('scans QR codes from an image file and from pasted screenshots (a two-part Google export)', async () => {
    const secret = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA';
    const png = qrPng(`otpauth://totp/Scanned:qr@example.test?secret=${secret}&issuer=Scanned`, { width: 500, height: 400, x: 260, y: 150, scale: 4 });
    await pickFile(page, { name: 'screenshot.png', mimeType: 'image/png', buffer: png });
    await expect.poll(() => rowBoxes(page).count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('cell', { name: 'Scanned', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Import 1 code', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 1 code.' }).waitFor();

    const part = (index: number, issuer: string) => migrationLink(
      [{ secret: Array.from({ length: 10 }, (_, i) => i * 13 + index), name: `${issuer}:g@example.test`, issuer }],
      { size: 2, index, id: 777 });
    await pasteImage(page, qrPng(part(0, 'Google One')));
    await expect.poll(() => rowBoxes(page).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.problems').textContent()).toMatch(/QR code 2 of 2 .* is missing/);
    await pasteImage(page, qrPng(part(1, 'Google Two')));
    await expect.poll(() => rowBoxes(page).count(), { timeout: 15_000 }).toBe(2);
    expect(await page.locator('.problems').count()).toBe(0);
    await page.getByRole('button', { name: 'Import 2 codes' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 2 codes.' }).waitFor();
    const issuers = (await snapshotEntries(page)).map((e) => e.issuer);
    expect(issuers).toEqual(expect.arrayContaining(['Scanned', 'Google One', 'Google Two']));
  });

  it('exports an encrypted backup that restores every entry, identically and in order, in a fresh profile', async () => {
    // Make the entries richer first, as a person would: a pin, a note and site, an HOTP counter moved on.
    await page.getByRole('link', { name: 'Authenticator' }).click();
    await page.getByRole('button', { name: 'Pin Airbnb' }).click();
    await page.getByRole('button', { name: 'Edit Deno' }).click();
    await page.getByLabel('Note (optional)').fill('Recovery codes in the blue folder.\nSecond line.');
    await page.getByLabel('Site (optional)').fill('deno.land');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Edit Deno' }).waitFor();
    const popup = await b.page('popup.html');
    await popup.getByRole('button', { name: 'Next code for Issuu' }).click();
    await popup.getByRole('button', { name: 'Next code for Issuu' }).click();
    await expect.poll(async () => (await snapshotEntries(page)).find((e) => e.issuer === 'Issuu')?.counter).toBe(3);
    await popup.close();

    await page.getByRole('link', { name: 'Import & backup' }).click();
    await page.getByLabel('Backup password', { exact: true }).fill(BACKUP_PASSWORD);
    await page.getByLabel('Confirm backup password').fill(BACKUP_PASSWORD);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download backup' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^revoke-backup-\d{4}-\d{2}-\d{2}\.json$/);
    const backupPath = await file.path();
    const original = comparable(await snapshotEntries(page));
    expect(original.find((e) => e.issuer === 'Airbnb')?.pinned).toBe(true);
    expect(readFileSync(backupPath, 'utf8')).not.toContain('JBSWY3DP');

    const fresh = await launch();
    toClose.push(fresh);
    const other = await fresh.page('options.html#import');
    await createVault(other);
    await pickFile(other, { name: file.suggestedFilename(), mimeType: 'application/json', buffer: readFileSync(backupPath) });
    await other.getByText('This Revoke backup is encrypted').waitFor();
    await other.getByLabel('File password').fill(BACKUP_PASSWORD);
    await other.getByRole('button', { name: 'Unlock file' }).click();
    await expect.poll(() => rowBoxes(other).count(), { timeout: 15_000 }).toBe(original.length);
    await other.getByRole('button', { name: `Import ${original.length} codes` }).click();
    await other.getByRole('status').filter({ hasText: `Imported ${original.length} codes.` }).waitFor();
    expect(comparable(await snapshotEntries(other))).toEqual(original);
    await fresh.close();
  });

  it('exports a plain otpauth list only after the warning is acknowledged', async () => {
    const button = page.getByRole('button', { name: 'Download plain export' });
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel('I understand anyone who sees this file can take over my second factors').check();
    const download = page.waitForEvent('download');
    await button.click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^revoke-otpauth-\d{4}-\d{2}-\d{2}\.txt$/);
    const lines = readFileSync(await file.path(), 'utf8').trim().split('\n');
    expect(lines).toHaveLength((await snapshotEntries(page)).length);
    expect(lines.every((l) => l.startsWith('otpauth://'))).toBe(true);
  });

  it('adds a code from the QR code on a page shown in a tab (popup in its own window)', async () => {
    const secret = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';
    const png = qrPng(`otpauth://totp/Tabbed:tab@example.test?secret=${secret}&issuer=Tabbed`, { scale: 3 });
    const server = http.createServer((req, res) => {
      if (req.url === '/qr.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        '<!doctype html><title>Two-factor setup</title><body style="margin:0;background:#fff">' +
        '<p style="margin:20px">Scan this code with your authenticator app.</p>' +
        '<img src="/qr.png" alt="QR" style="position:absolute;left:68%;top:55%;image-rendering:pixelated"></body>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const site = await b.ctx.newPage();
      await site.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await site.getByAltText('QR').waitFor();
      await site.bringToFront();

      const popupPage = b.ctx.waitForEvent('page', (p) => p.url().endsWith('/popup.html'));
      await b.sw.evaluate(() => chrome.windows.create({ url: chrome.runtime.getURL('popup.html'), type: 'popup', width: 380, height: 600 }));
      const popup = await popupPage;
      await popup.getByRole('button', { name: 'Add a code' }).click();
      await popup.getByRole('button', { name: 'Scan QR code on this page' }).click();
      // The test build's <all_urls> stands in for the activeTab grant a toolbar click gives.
      await codeButton(popup, 'Tabbed tab@example.test').waitFor({ timeout: 15_000 });
      await awayFromBoundary();
      expect(await shownCode(popup, 'Tabbed tab@example.test')).toBe(referenceTotp(secret, Date.now()));
      expect((await snapshotEntries(page)).map((e) => e.issuer)).toContain('Tabbed');
    } finally {
      server.close();
    }
  });

  // Keep this test last: Playwright's clock is installed for the whole browser context, so every
  // page opened afterwards would run on the fake time.
  it('shows one entry’s QR code on request, and hides it', async () => {
    await page.getByLabel('Code to move').selectOption({ label: 'Deno (Mason)' });
    await page.getByRole('button', { name: 'Show QR code' }).click();
    const img = page.getByRole('img', { name: 'QR code for Deno' });
    await img.waitFor();
    // What a phone camera sees: a picture of it, read back through the import's scanner.
    await pickFile(page, { name: 'phone-camera.png', mimeType: 'image/png', buffer: await img.screenshot() });
    await expect.poll(() => rowBoxes(page).count(), { timeout: 15_000 }).toBe(1);
    const preview = page.getByRole('group', { name: 'Import preview' });
    await preview.getByRole('cell', { name: 'Deno', exact: true }).waitFor();
    expect(await preview.getByText('already in Revoke').count()).toBe(1);
    await preview.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Hide' }).click();
    expect(await img.count()).toBe(0);

    // Left on screen, it hides itself after a minute (a page with a fake clock, so the test need not wait).
    const timed = await b.ctx.newPage();
    await timed.clock.install();
    await timed.goto(`chrome-extension://${b.extensionId}/options.html#import`);
    await timed.getByRole('button', { name: 'Show QR code' }).click();
    await timed.getByRole('img', { name: /^QR code for / }).waitFor();
    await timed.clock.runFor(59_000);
    expect(await timed.getByRole('img', { name: /^QR code for / }).count()).toBe(1);
    await timed.clock.runFor(2_000);
    await expect.poll(() => timed.getByRole('img', { name: /^QR code for / }).count()).toBe(0);
    await timed.close();
  });
});
