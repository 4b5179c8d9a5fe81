/**
 * npm run bench: size and speed figures for the authenticator.
 *   popup JS loaded (raw and gzip), the popup's first codes and sessions painted as ratios to a
 *   blank page (issue 9's goals, bench/paint.ts), unlock time, time to compute 1000 codes.
 * Runs the real Chrome build (dist/) in Debian's Chromium. Prints figures; fails only if it cannot measure.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import en from '../_locales/en/messages.json';
import { messageSource } from '../src/i18n/messages-file';
import { setMessageSource } from '../src/i18n/t';
import { createCodeCache } from '../src/ui/code-cache';
import { importText } from '../src/vault/import/index';
import type { OtpEntry } from '../src/vault/types';
import { paintFigures, seedCodes } from './paint';
import { sessionFigures } from './sessions';
import { fmt, median, row, withExtension } from './util';

const DIST = resolve(import.meta.dirname, '../dist');

// Import and code figures run in Node, where the words the importers use come from the English file.
setMessageSource(messageSource(en, 'en'));

/** Every script the popup loads at start: the entry and its static imports, followed transitively. */
function popupScripts(): string[] {
  const html = readFileSync(join(DIST, 'popup.html'), 'utf8');
  return staticClosure([...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]!));
}

/** The given scripts and everything they import statically (dynamic import() is lazy by design). */
function staticClosure(entry: string[]): string[] {
  const queue = [...entry];
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(DIST, file), 'utf8');
    // Static imports only: import ... from "./x.js" / import "./x.js" (dynamic import() is lazy by design).
    for (const m of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g)) {
      const spec = m[1]!;
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
      queue.push(spec.startsWith('/') ? spec.slice(1) : join(dir, spec).replace(/\\/g, '/'));
    }
  }
  return [...seen];
}

function sizeFigures() {
  const files = popupScripts();
  const raw = files.reduce((n, f) => n + readFileSync(join(DIST, f)).length, 0);
  const gz = files.reduce((n, f) => n + gzipSync(readFileSync(join(DIST, f))).length, 0);
  row('popup JS loaded at start (Codes tab)', `${(raw / 1024).toFixed(1)} KB raw`, `(${files.length} files)`);
  row('popup JS loaded at start (Codes tab), gzip', `${(gz / 1024).toFixed(1)} KB`, 'goal <= 30 KB');
  // Opening on the Sessions tab also fetches that tab's chunks (scripts/startup-chunks.ts: the page's
  // own, and what it imports beyond the above).
  const sessionsChunk = readdirSync(join(DIST, 'assets')).find((f) => /^sessions-page-.*\.js$/.test(f));
  if (!sessionsChunk) throw new Error('No sessions-page chunk in dist/assets: check startupChunks in vite.config.ts.');
  const extra = staticClosure([`assets/${sessionsChunk}`]).filter((f) => !files.includes(f));
  const extraGz = extra.reduce((n, f) => n + gzipSync(readFileSync(join(DIST, f))).length, 0);
  row('popup JS at start (Sessions tab), gzip', `${((gz + extraGz) / 1024).toFixed(1)} KB`, `(+${extra.length} files)`);
  // The QR decoder must stay out of the start-up files (it is loaded when a scan is asked for).
  const decoderChunk = readdirSync(join(DIST, 'assets')).find((f) => /^scan-.*\.js$/.test(f));
  const inStartup = files.some((f) => readFileSync(join(DIST, f), 'utf8').includes('inversionAttempts'));
  row('QR decoder in popup start-up files', inStartup ? 'YES (regression)' : 'no',
    decoderChunk ? `(lazy chunk ${(gzipSync(readFileSync(join(DIST, 'assets', decoderChunk))).length / 1024).toFixed(1)} KB gzip)` : '');
}

function codeFigures() {
  const entries: OtpEntry[] = Array.from({ length: 1000 }, (_, i) => ({
    id: String(i), type: i % 10 === 0 ? 'hotp' : 'totp', secret: 'JBSWY3DPEHPK3PXP' + 'ABCDEFGH'.slice(0, i % 8 ? 8 : 0),
    algorithm: (['SHA1', 'SHA256', 'SHA512'] as const)[i % 3]!, digits: 6 + (i % 3), period: 30, counter: i,
    issuer: `Issuer ${i}`, account: '', note: '', site: '', pinned: false, position: i, createdAt: 0, updatedAt: 0,
  }));
  const runs: number[] = [];
  // The popup's own path: one code cache per view (it keeps each entry's decoded secret).
  const codeFor = createCodeCache();
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    // A different time each run so no run is served a code computed by the previous one.
    for (const e of entries) codeFor(e, Date.now() + r * 30_000);
    runs.push(performance.now() - t0);
  }
  row('1000 codes (median of 15, Node)', fmt(median(runs), 'ms'), 'goal <= 20 ms');
}

async function browserFigures() {
  await withExtension(DIST, async (ctx, id) => {
    const page = await ctx.newPage();
    await page.goto(`chrome-extension://${id}/options.html`);
    const password = 'bench password 1234';
    await seedCodes(page, password);

    const unlocks: number[] = [];
    for (let i = 0; i < 5; i++) {
      unlocks.push(await page.evaluate(async (password) => {
        await chrome.runtime.sendMessage({ type: 'vault/lock', body: null });
        const t0 = performance.now();
        const r = await chrome.runtime.sendMessage({ type: 'vault/unlock', body: { password } });
        if (!r.ok) throw new Error(r.error.message);
        return performance.now() - t0;
      }, password));
    }
    row('unlock (PBKDF2 600k + 200 entries listed)', fmt(median(unlocks), 'ms'), '(median of 5)');

    // Import 10,000 entries: parsing (Node, the same code the options page runs) and storing (the real worker).
    const list = Array.from({ length: 10_000 }, (_, i) =>
      `otpauth://totp/Bulk%20${i}:user${i}@example.test?secret=${'JBSWY3DPEHPK3PXP'}${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i / 26) % 26))}AAAAAA&issuer=Bulk%20${i}`).join('\n');
    const t0 = performance.now();
    const parsed = await importText(list);
    const parseMs = performance.now() - t0;
    if (parsed.entries.length !== 10_000) throw new Error(`parsed ${parsed.entries.length} of 10000 (${parsed.problems[0]?.reason})`);
    const storeMs = await page.evaluate(async (items) => {
      const t = performance.now();
      const r = await chrome.runtime.sendMessage({ type: 'entries/import', body: { items } });
      if (!r.ok) throw new Error(r.error.message);
      return performance.now() - t;
    }, parsed.entries.map((e) => ({ input: e.input })));
    row('import 10,000 entries: parse (Node)', fmt(parseMs, 'ms'));
    row('import 10,000 entries: validate+encrypt+store (worker)', fmt(storeMs, 'ms'));
  });
}

console.log(`Revoke benchmark · ${new Date().toISOString()} · Node ${process.version}\n`);
sizeFigures();
codeFigures();
await paintFigures(DIST);
await browserFigures();
await sessionFigures();
