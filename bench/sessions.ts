/**
 * Session figures:
 *  - sign out everywhere over 20 loopback sites that each answer after 300 ms,
 *    against the same job with one such site (goal: <= 1.3x, i.e. parallel);
 *  - the popup's Sessions tab painted with 50 accounts x 5 sessions.
 * Uses the test build (dist-e2e/), which holds the loopback host permissions
 * a person would grant when linking (a headless browser cannot answer the prompt).
 */
import type { BrowserContext } from 'playwright-core';
import { resolve } from 'node:path';
import { startSite, type TestSite } from '../test/e2e/sites';
import { fmt, median, row, withExtension } from './util';

const DIST_E2E = resolve(import.meta.dirname, '../dist-e2e');
const DIST = resolve(import.meta.dirname, '../dist');

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
  row('sign out everywhere, 20 sites answering after 300 ms', fmt(b, 'ms'), `${(b / a).toFixed(2)}x one site, goal <= 1.3x`);
}

/** 50 accounts x 5 sessions, as the last refresh left them in the cache; the popup paints from there. */
async function popupSessions() {
  await withExtension(DIST, async (ctx, id) => {
    const page = await ctx.newPage();
    await page.goto(`chrome-extension://${id}/options.html#accounts`);
    // The worker creates its database on first use; seed it only after that.
    await page.evaluate(() => chrome.runtime.sendMessage({ type: 'sessions/overview', body: null }));
    // Every opened popup refreshes (and these made-up sites fail), so seed before each one.
    const seed = () => page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('revoke-sessions');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const tx = db.transaction(['accounts', 'cache'], 'readwrite');
      const now = Date.now();
      for (let a = 0; a < 50; a++) {
        const id = `bench-${a}`;
        const origin = `https://app${a}.example.test`;
        tx.objectStore('accounts').put({ id, connectorId: 'better-auth', origin, instanceUrl: `${origin}/api/auth`, label: `App ${a}`, settings: {}, linkedAt: now - a });
        const sessions = Array.from({ length: 5 }, (_, s) => ({
          id: `s${a}-${s}`, current: s === 0, browser: ['Chrome 131', 'Firefox 128', 'Safari 17', 'Edge 131', 'curl'][s],
          os: ['Windows', 'Linux', 'iOS', 'macOS', 'Android'][s], ip: `203.0.113.${s + 1}`, location: 'Somewhere',
          createdAt: now - 86_400_000, lastActiveAt: now - s * 60_000, extra: {},
        }));
        tx.objectStore('cache').put({ accountId: id, at: now, result: { state: 'ok', sessions, fetchedAt: now, whoami: { account: `user${a}@example.test` } } });
      }
      await new Promise((res, rej) => { tx.oncomplete = res; tx.onerror = () => rej(tx.error); });
      db.close();
      localStorage.setItem('revoke:popup-tab', 'sessions');
    });
    const paints: number[] = [];
    for (let i = 0; i < 12; i++) {
      await seed();
      const popup = await ctx.newPage();
      await popup.setViewportSize({ width: 360, height: 600 });
      await popup.goto(`chrome-extension://${id}/popup.html`);
      const t = await popup.waitForFunction(() => performance.getEntriesByName('revoke:sessions-painted')[0]?.startTime);
      const shown = await popup.evaluate(() => (performance.getEntriesByName('revoke:sessions-painted')[0] as PerformanceMark).detail);
      // The first frame holds the groups that fit the screen; all 250 must follow.
      if (shown < 15) throw new Error(`first frame showed ${shown} sessions`);
      await popup.waitForFunction(() => document.querySelectorAll('li.session').length === 250);
      if (i > 1) paints.push((await t.jsonValue()) as number);
      // Let the popup's refresh finish before the next seeding, or it overwrites the seed.
      await popup.getByText('Up to date').waitFor();
      await popup.close();
    }
    row('popup navigation -> 50 accounts x 5 sessions painted', fmt(median(paints), 'ms'), 'goal <= 100 ms (median of 10; first screen)');
  });
}

export async function sessionFigures() {
  await everywhere();
  await popupSessions();
}
