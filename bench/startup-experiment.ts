/**
 * Issue 9's experiment, run by hand (not part of `npm run bench`): how near a blank page can the
 * popup's first codes get? Opens, in turns with the worker running and stopped, each of:
 *   blank     the blank page bench/paint.ts measures against
 *   bare      bench/startup-experiment/bare-codes.js alone: storage.session + IndexedDB + decrypt +
 *             15 rows as plain DOM (a lower bound for any start-up script; no app behind it)
 *   deferred  the same script, then the real popup loaded after that first frame
 *   single    the real popup built as one file (no chunks, no modulepreload)
 *   popup     the popup as built
 * and prints the median first-codes time, its ratio to the blank page, and bare's step marks.
 * TAB=sessions measures the Sessions tab instead (50 accounts x 5 sessions, as paint.ts seeds them):
 * blank, bare (bench/startup-experiment/bare-sessions.js) and popup.
 *   npx vite build && BENCH_ROUNDS=8 [TAB=sessions] node --import tsx bench/startup-experiment.ts
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import preact from '@preact/preset-vite';
import { build } from 'vite';
import { checksDone, markOf, seedCodes, seedSessions, withBlankPage, workerControl } from './paint';
import { median, withExtension } from './util';

const ROOT = resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const WARM_UP = 2;
const TAB = process.env.TAB === 'sessions' ? 'sessions' : 'codes';

/** The popup as one script (dynamic imports inlined), under /single/ of the extension. */
async function buildSingle(into: string) {
  await build({
    root: ROOT, configFile: false, logLevel: 'warn', base: '/single/', plugins: [preact()],
    define: { __BROWSER__: '"chrome"', __E2E__: 'false' },
    build: {
      outDir: join(into, 'single'), emptyOutDir: false, copyPublicDir: false, target: 'es2022', modulePreload: { polyfill: false },
      rollupOptions: { input: { popup: join(ROOT, 'popup.html') }, output: { codeSplitting: false } },
    },
  });
}

function addVariants(dir: string) {
  const popup = readFileSync(join(dir, 'popup.html'), 'utf8');
  const css = [...popup.matchAll(/<link rel="stylesheet"[^>]*>/g)].map((m) => m[0]).join('');
  // The popup's entry is the last of its module scripts (scripts/startup-chunks.ts); it imports the others.
  const entry = [...popup.matchAll(/<script type="module" crossorigin src="([^"]+)"><\/script>/g)].at(-1)![1]!;
  for (const f of ['bare-codes.js', 'bare-sessions.js']) cpSync(join(ROOT, 'bench/startup-experiment', f), join(dir, f));
  writeFileSync(join(dir, 'bare.html'), '<!doctype html><html><head><meta charset="utf-8"><meta name="color-scheme" content="light dark">' +
    `<script src="/bare-${TAB}.js"></script>${css}</head><body class="popup"><div id="app"></div></body></html>`);
  writeFileSync(join(dir, 'deferred.html'), popup.replace(/<script type="module"[^>]*><\/script>/g, '').replace(/<link rel="modulepreload"[^>]*>/g, '')
    .replace('<title>Revoke</title>', `<title>Revoke</title><script src="/bare-codes.js" data-entry="${entry}"></script>`));
}

const VARIANTS: Record<string, readonly [string, string]> = TAB === 'codes' ? {
  blank: ['bench-blank.html', 'revoke:blank-painted'],
  bare: ['bare.html', 'revoke:codes-painted'],
  deferred: ['deferred.html', 'revoke:codes-painted'],
  single: ['single/popup.html', 'revoke:codes-painted'],
  popup: ['popup.html', 'revoke:codes-painted'],
} : {
  blank: ['bench-blank.html', 'revoke:blank-painted'],
  bare: ['bare.html', 'revoke:sessions-painted'],
  popup: ['popup.html', 'revoke:sessions-painted'],
};

async function open(ctx: BrowserContext, url: string, mark: string, steps: Record<string, number[]>) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 360, height: 600 });
  const ms = await markOf(page, url, mark);
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('x:')).map((m) => [m.name, m.startTime] as const));
  for (const [name, t] of marks) (steps[name] ??= []).push(t);
  if (mark === 'revoke:sessions-painted') {
    const shown = await page.evaluate(() => (performance.getEntriesByName('revoke:sessions-painted')[0] as PerformanceMark).detail as number);
    if (shown < 15) throw new Error(`${url}: the first frame showed ${shown} sessions`);
  }
  // The variants with the real popup: let it finish before the next page opens (its refresh
  // rewrites the sessions cache, which is seeded again before each page).
  if (url.endsWith('bare.html') || url.endsWith('blank.html')) {
    // nothing behind the first frame
  } else if (TAB === 'codes') {
    await page.waitForFunction(() => document.querySelectorAll('.otp').length >= 200);
  } else {
    await page.waitForFunction(() => document.querySelectorAll('li.session').length === 250);
    await checksDone(page);
  }
  await page.close();
  return ms;
}

const dir = withBlankPage(join(ROOT, 'dist'));
try {
  if (TAB === 'codes') await buildSingle(dir);
  addVariants(dir);
  await withExtension(dir, async (ctx, id) => {
    const page = await ctx.newPage();
    await page.goto(`chrome-extension://${id}/options.html`);
    const control = await workerControl(ctx, page, id);
    await seedCodes(page);
    // The worker creates the sessions database on first use; seed it only after that.
    if (TAB === 'sessions') await page.evaluate(() => chrome.runtime.sendMessage({ type: 'sessions/overview', body: null }));
    const times: Record<string, number[]> = {};
    const steps: Record<string, number[]> = {};
    for (let round = 0; round < ROUNDS + WARM_UP; round++) {
      for (const worker of ['running', 'stopped'] as const) {
        for (const [name, [path, mark]] of Object.entries(VARIANTS)) {
          if (TAB === 'sessions') await seedSessions(page);
          if (worker === 'running') await control.start();
          // Under load the worker can take longer to stop than paint.ts waits: ask again.
          else await control.stop().catch(() => control.stop()).catch(() => control.stop());
          const ms = await open(ctx, `chrome-extension://${id}/${path}`, mark, round >= WARM_UP && name === 'bare' ? steps : {});
          if (round >= WARM_UP) (times[`${name}, worker ${worker}`] ??= []).push(ms);
        }
      }
    }
    for (const worker of ['running', 'stopped']) {
      const blank = median(times[`blank, worker ${worker}`]!);
      for (const name of Object.keys(VARIANTS)) {
        const xs = times[`${name}, worker ${worker}`]!;
        console.log(`${name}, worker ${worker}`.padEnd(28), `${median(xs).toFixed(0)} ms`.padStart(8), `${(median(xs) / blank).toFixed(2)}x`.padStart(7),
          ' ', xs.map(Math.round).join(' '));
      }
    }
    console.log('bare, medians of its steps (ms from navigation start):',
      Object.entries(steps).map(([k, v]) => `${k.slice(2)} ${median(v).toFixed(0)}`).join(', '));
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
