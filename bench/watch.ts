/**
 * The watch's figure: a scheduled audit of 50 linked accounts whose service answers each request
 * after 300 ms, against the same audit of one such account (goal: <= 1.3x, i.e. the accounts are
 * looked at in parallel, not one after another).
 *
 * The accounts are one real better-auth app (test/servers/better-auth) reached under 50 host
 * names (aN.localhost, which Chromium resolves to loopback): each its own origin and cookie jar and
 * its own user, signed in from Node with the session cookie placed in the browser. The audit is the alarm's
 * handler, run through the test build's hook (dist-e2e, which also holds the loopback host
 * permissions a person would grant when linking). Timed is the second audit: the first learns.
 */
import type { BrowserContext } from 'playwright-core';
import { resolve } from 'node:path';
import { startBetterAuth } from '../test/servers/better-auth/server.mjs';
import { against, fmt, median, row, withExtension } from './util';

const DIST_E2E = resolve(import.meta.dirname, '../dist-e2e');
const PASSWORD = 'bench-password-123';
/** One user per account: each list holds a session or two, so the one app's own work per request stays small. */
const email = (i: number) => `bench${i}@revoke.test`;

async function auditMs(ctx: BrowserContext, id: string, origins: string[], signIn: (i: number) => Promise<string>): Promise<{ audit: number; refresh: number }> {
  for (const [i, origin] of origins.entries()) {
    const cookies = (await signIn(i)).split(/;\s*/).map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url: origin };
    });
    await ctx.addCookies(cookies);
  }
  const page = await ctx.newPage();
  await page.goto(`chrome-extension://${id}/options.html#accounts`);
  await page.evaluate(async (list) => {
    for (const url of list) {
      const r = await chrome.runtime.sendMessage({ type: 'accounts/link', body: { connectorId: 'better-auth', url, settings: {} } });
      if (!r.ok) throw new Error(r.error.message);
    }
  }, origins);
  // The engine's look at every account alone (what the popup's refresh does), to tell the watch's own share.
  const gatherMs = await page.evaluate(async () => {
    const t = performance.now();
    const r = await chrome.runtime.sendMessage({ type: 'sessions/refresh', body: null });
    if (!r.ok) throw new Error(r.error.message);
    return performance.now() - t;
  });
  await page.close();
  const sw = ctx.serviceWorkers()[0]!;
  const audit = await sw.evaluate(async (count) => {
    type Hook = { runWatch(): Promise<{ state: string }[]> };
    const hook = (globalThis as unknown as { revokeE2E: Hook }).revokeE2E;
    await hook.runWatch();
    const t = performance.now();
    const audits = await hook.runWatch();
    const ms = performance.now() - t;
    const ok = audits.filter((a) => a.state === 'ok').length;
    if (ok !== count) throw new Error(`only ${ok} of ${count} accounts were looked at`);
    return ms;
  }, origins.length);
  return { audit, refresh: gatherMs };
}

/** `accounts` and `runs` are smaller only for a quick check of the bench itself. */
export async function watchFigures({ accounts = 50, runs = 3 } = {}) {
  const ba = await startBetterAuth();
  try {
    for (let i = 0; i < accounts; i++) await ba.createUser(email(i), PASSWORD);
    // Each of the app's requests answers after 300 ms (a look is who-am-I, then the list).
    ba.delayPath('/get-session', 300);
    ba.delayPath('/list-sessions', 300);
    const port = new URL(ba.origin).port;
    const signIn = (i: number) => ba.signIn(email(i), PASSWORD);
    const one: { audit: number; refresh: number }[] = [];
    const fifty: { audit: number; refresh: number }[] = [];
    for (let run = 0; run < runs; run++) {
      one.push(await withExtension(DIST_E2E, (ctx, id) => auditMs(ctx, id, [`http://r${run}-one.localhost:${port}`], signIn)));
      const many = Array.from({ length: accounts }, (_, i) => `http://r${run}-a${i}.localhost:${port}`);
      fifty.push(await withExtension(DIST_E2E, (ctx, id) => auditMs(ctx, id, many, signIn)));
    }
    const a = median(one.map((x) => x.audit)), b = median(fifty.map((x) => x.audit));
    row('watch audit, 1 account answering after 300 ms', fmt(a, 'ms'), `(median of ${runs})`);
    row(`watch audit, ${accounts} accounts answering after 300 ms`, `${fmt(b, 'ms')} ${(b / a).toFixed(2)}x`, against(b / a <= 1.3, 'goal <= 1.3x one account'));
    // The engine's look alone (no watch): when the audit misses its goal, this says whether the watch is why.
    const r1 = median(one.map((x) => x.refresh)), r50 = median(fifty.map((x) => x.refresh));
    row(`  engine look alone (refresh), 1 / ${accounts} accounts`, `${fmt(r1, 'ms')} / ${fmt(r50, 'ms')}`, `${(r50 / r1).toFixed(2)}x`);
  } finally {
    await ba.close();
  }
}
