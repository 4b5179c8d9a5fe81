/**
 * Session figures:
 *  - sign out everywhere over 20 loopback sites that each answer after 300 ms,
 *    against the same job with one such site (goal: <= 1.3x, i.e. parallel).
 *  - a scheduled audit of 50 accounts answering after 300 ms against one (watch.ts, same goal).
 * (The Sessions tab's paint is in paint.ts.)
 * Uses the test build (dist-e2e/), which holds the loopback host permissions
 * a person would grant when linking (a headless browser cannot answer the prompt).
 */
import type { BrowserContext } from 'playwright-core';
import { resolve } from 'node:path';
import { startSite, type TestSite } from '../test/e2e/sites';
import { against, fmt, median, row, withExtension } from './util';
import { watchFigures } from './watch';

const DIST_E2E = resolve(import.meta.dirname, '../dist-e2e');

async function signOutEverywhereMs(ctx: BrowserContext, id: string, sites: TestSite[]): Promise<number> {
  const page = await ctx.newPage();
  await page.goto(`chrome-extension://${id}/options.html#accounts`);
  for (const site of sites) {
    await page.goto(`${site.origin}/login?user=bench`);
  }
  await page.goto(`chrome-extension://${id}/options.html#accounts`);
  const ms = await page.evaluate(async (origins) => {
    for (const origin of origins) {
      const r = await chrome.runtime.sendMessage({ type: 'accounts/link', body: { connectorId: 'generic', url: origin, settings: { logoutUrl: `${origin}/logout` } } });
      if (!r.ok) throw new Error(r.error.message);
    }
    const t = performance.now();
    const r = await chrome.runtime.sendMessage({ type: 'sessions/sign-out-everywhere', body: { reason: { kind: 'other', text: 'bench' } } });
    if (!r.ok) throw new Error(r.error.message);
    if (r.value.confirmed !== origins.length) throw new Error(`only ${r.value.confirmed} of ${origins.length} confirmed`);
    return performance.now() - t;
  }, sites.map((s) => s.origin));
  await page.close();
  for (const s of sites) if (s.sessions.size !== 0) throw new Error(`${s.origin} still has a session`);
  return ms;
}

async function everywhere() {
  const one: number[] = [];
  const twenty: number[] = [];
  for (let run = 0; run < 3; run++) {
    // Each run on a fresh profile and fresh sites: linking twice is refused, cookies must be new.
    const single = [await startSite('127.0.0.1', { responseDelayMs: 300, siteHost: `r${run}-s0.localhost` })];
    one.push(await withExtension(DIST_E2E, (ctx, id) => signOutEverywhereMs(ctx, id, single)));
    await Promise.all(single.map((s) => s.close()));
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      startSite('127.0.0.1', { responseDelayMs: 300, siteHost: `r${run}-m${i}.localhost` })));
    twenty.push(await withExtension(DIST_E2E, (ctx, id) => signOutEverywhereMs(ctx, id, many)));
    await Promise.all(many.map((s) => s.close()));
  }
  const a = median(one), b = median(twenty);
  row('sign out everywhere, 1 site answering after 300 ms', fmt(a, 'ms'), '(median of 3, with confirmation)');
  row('sign out everywhere, 20 sites answering after 300 ms', `${fmt(b, 'ms')} ${(b / a).toFixed(2)}x`, against(b / a <= 1.3, 'goal <= 1.3x one site'));
}

export async function sessionFigures() {
  await everywhere();
  await watchFigures();
}
