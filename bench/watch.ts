/**
 * Issue 12's figures for the watch:
 *
 * 1. A scheduled audit of 50 linked accounts whose service answers each request after 300 ms,
 *    against the same audit of one such account (goal: <= 1.3x, i.e. the accounts are looked at in
 *    parallel, not one after another). Measured against a loopback stand-in for a better-auth app
 *    whose own cost per request is negligible (bench/better-auth-standin.ts): that is the figure the
 *    issue names. Then the same against the real better-auth server (test/servers/better-auth), with
 *    the time that server was busy during the audit (the event loop of this process, which hosts
 *    it): there the figure is mostly the server's throughput on two shared cores. Beside each, the
 *    same requests fetched at once by the worker with nothing else done: what this browser needs
 *    for them on this machine, a floor no change in Revoke can go below; and the same requests sent
 *    from Node, which shows how much of that floor the server side accounts for.
 * 2. The popup opened while that 50-account audit runs: its first sessions paint against a blank
 *    page of the same extension, opened in turns with it in the same browser (goal: <= 1.5x).
 *
 * Every account is its own host name (rN-aI.localhost, which Chromium resolves to loopback): its own
 * origin, cookie jar and user, signed in from Node with the session cookie placed in the browser. The
 * audit is the alarm's handler, run through the test build's hook (dist-e2e, which also holds the
 * loopback host permissions a person would grant when linking). Timed is the second audit: the first
 * learns the accounts' sessions.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBetterAuth } from '../test/servers/better-auth/server.mjs';
import { startBetterAuthStandIn, STANDIN_COOKIE } from './better-auth-standin';
import { checksDone, markOf, withBlankPage } from './paint';
import { against, fmt, median, row, withExtension } from './util';

const DIST_E2E = resolve(import.meta.dirname, '../dist-e2e');
const PASSWORD = 'bench-password-123';
const DELAY_MS = 300;
const AUDIT_GOAL = 1.3;
const PAINT_GOAL = 1.5;
/** One user per account: each list holds a session or two, so the one app's own work per request stays small. */
const email = (i: number) => `bench${i}@revoke.test`;

type Cookie = { name: string; value: string };
/** Where the accounts live: their origins in a run, and this browser's session cookies for account i. */
interface Service {
  /** The origin of an account under this host name (each its own origin and cookie jar). */
  origin(host: string): string;
  signIn(i: number): Promise<Cookie[]>;
}

interface AuditTimes {
  audit: number;
  /** The engine's look at every account alone, as the popup's refresh does it. */
  refresh: number;
  /** How long this process's event loop (the server, where it runs here) was busy during the timed audit. */
  busy: number;
  /** The browser's floor: the same requests the audit sends, fetched at once from the worker, with nothing else done. */
  raw: number;
  /** The same requests sent at once from this process (no browser): what the server side alone allows. */
  node: number;
}

const AUDIT_PATHS = ['get-session?disableCookieCache=true&disableRefresh=true', 'list-sessions'];

/** Every request of an audit at once from Node (each origin's host name sent as Host, to 127.0.0.1), read to the end. */
async function fromNode(origins: string[]): Promise<number> {
  const t = performance.now();
  await Promise.all(origins.flatMap((origin) => AUDIT_PATHS.map((path) => new Promise<void>((done, fail) => {
    const u = new URL(`${origin}/api/auth/${path}`);
    request({ host: '127.0.0.1', port: u.port, path: u.pathname + u.search, headers: { host: u.host }, agent: false }, (res) => {
      res.resume().on('end', done).on('error', fail);
    }).on('error', fail).end();
  }))));
  return performance.now() - t;
}

type Hook = { runWatch(): Promise<{ state: string }[]> };

async function linkAccounts(ctx: BrowserContext, id: string, origins: string[], service: Service): Promise<Page> {
  for (const [i, origin] of origins.entries()) {
    await ctx.addCookies((await service.signIn(i)).map((c) => ({ ...c, url: origin })));
  }
  const page = await ctx.newPage();
  await page.goto(`chrome-extension://${id}/options.html#accounts`);
  await page.evaluate(async (list) => {
    for (const url of list) {
      const r = await chrome.runtime.sendMessage({ type: 'accounts/link', body: { connectorId: 'better-auth', url, settings: {} } });
      if (!r.ok) throw new Error(r.error.message);
    }
  }, origins);
  return page;
}

async function auditTimes(ctx: BrowserContext, page: Page, origins: string[]): Promise<AuditTimes> {
  const count = origins.length;
  const refresh = await page.evaluate(async () => {
    const t = performance.now();
    const r = await chrome.runtime.sendMessage({ type: 'sessions/refresh', body: null });
    if (!r.ok) throw new Error(r.error.message);
    return performance.now() - t;
  });
  const sw = ctx.serviceWorkers()[0]!;
  // The first audit learns every account's sessions (no baseline yet); the second is the one timed.
  await sw.evaluate(async () => void (await (globalThis as unknown as { revokeE2E: Hook }).revokeE2E.runWatch()));
  const loop = performance.eventLoopUtilization();
  const audit = await sw.evaluate(async (count) => {
    const t = performance.now();
    const audits = await (globalThis as unknown as { revokeE2E: Hook }).revokeE2E.runWatch();
    const ms = performance.now() - t;
    const ok = audits.filter((a) => a.state === 'ok').length;
    if (ok !== count) throw new Error(`only ${ok} of ${count} accounts were looked at`);
    return ms;
  }, count);
  const busy = performance.eventLoopUtilization(loop).active;
  const raw = await sw.evaluate(async ({ origins, paths }) => {
    const t = performance.now();
    await Promise.all(origins.flatMap((origin) => paths.map(async (path) => {
      const r = await fetch(`${origin}/api/auth/${path}`, { credentials: 'include' });
      await r.text();
    })));
    return performance.now() - t;
  }, { origins, paths: AUDIT_PATHS });
  return { audit, refresh, busy, raw, node: await fromNode(origins) };
}

interface PaintSample {
  blank: number;
  /** The popup opened while no audit runs, in the same round: what the audit adds is the difference. */
  quiet: number;
  popup: number;
  /** The popup painted before the audit it was opened during had finished. */
  during: boolean;
}

/**
 * In turns: a blank page, the popup with no audit running, then an audit started (not awaited) and
 * the popup opened while it runs. The audit and the popup's own refresh finish before the next page.
 */
async function paintDuringAudit(ctx: BrowserContext, id: string, rounds: number): Promise<PaintSample[]> {
  const sw = ctx.serviceWorkers()[0]!;
  const open = async (url: string, mark: string) => {
    const p = await ctx.newPage();
    await p.setViewportSize({ width: 360, height: 600 });
    const ms = await markOf(p, url, mark);
    const at = await p.evaluate((m) => performance.timeOrigin + performance.getEntriesByName(m)[0]!.startTime, mark);
    return { p, ms, at };
  };
  const out: PaintSample[] = [];
  for (let round = 0; round < rounds; round++) {
    const blank = await open(`chrome-extension://${id}/bench-blank.html`, 'revoke:blank-painted');
    await blank.p.close();
    const quiet = await open(`chrome-extension://${id}/popup.html`, 'revoke:sessions-painted');
    await checksDone(quiet.p, 10_000);
    await quiet.p.close();
    await sw.evaluate(() => {
      const g = globalThis as unknown as { revokeE2E: Hook; benchAudit?: Promise<number> };
      g.benchAudit = g.revokeE2E.runWatch().then(() => Date.now());
    });
    const popup = await open(`chrome-extension://${id}/popup.html`, 'revoke:sessions-painted');
    const auditEnd = await sw.evaluate(() => (globalThis as unknown as { benchAudit: Promise<number> }).benchAudit);
    await checksDone(popup.p, 10_000);
    await popup.p.close();
    out.push({ blank: blank.ms, quiet: quiet.ms, popup: popup.ms, during: popup.at < auditEnd });
  }
  return out;
}

function auditRows(label: string, accounts: number, runs: number, one: AuditTimes[], many: AuditTimes[], note: string) {
  const a = median(one.map((x) => x.audit)), b = median(many.map((x) => x.audit));
  row(`watch audit, 1 account (${label})`, fmt(a, 'ms'), `(median of ${runs})`);
  row(`watch audit, ${accounts} accounts (${label})`, `${fmt(b, 'ms')} ${(b / a).toFixed(2)}x`, `${against(b / a <= AUDIT_GOAL, `goal <= ${AUDIT_GOAL}x one account`)}${note}`);
  // The engine's look alone (no watch): when the audit misses its goal, this says whether the watch is why.
  const r1 = median(one.map((x) => x.refresh)), r50 = median(many.map((x) => x.refresh));
  row(`  engine look alone (refresh), 1 / ${accounts}`, `${fmt(r1, 'ms')} / ${fmt(r50, 'ms')}`, `${(r50 / r1).toFixed(2)}x`);
  // What the browser alone needs for the same requests on this machine: the part of the figure Revoke cannot remove.
  const raw1 = median(one.map((x) => x.raw)), rawN = median(many.map((x) => x.raw));
  row(`  the same requests alone (no Revoke), 1 / ${accounts}`, `${fmt(raw1, 'ms')} / ${fmt(rawN, 'ms')}`, `${(rawN / raw1).toFixed(2)}x: this browser's floor here`);
  // The same requests without a browser: when this is near 1x and the row above is not, the floor is the browser's.
  const node1 = median(one.map((x) => x.node)), nodeN = median(many.map((x) => x.node));
  row(`  the same requests from Node (no browser), 1 / ${accounts}`, `${fmt(node1, 'ms')} / ${fmt(nodeN, 'ms')}`, `${(nodeN / node1).toFixed(2)}x: the server side's floor`);
  const busy1 = median(one.map((x) => x.busy)), busyN = median(many.map((x) => x.busy));
  row(`  server's busy time in the audit, 1 / ${accounts}`, `${fmt(busy1, 'ms')} / ${fmt(busyN, 'ms')}`, `(${Math.round((busyN / b) * 100)}% of the ${accounts}-account audit)`);
}

/** `accounts`, `runs` and `rounds` are smaller only for a quick check of the bench itself. */
export async function watchFigures({ accounts = 50, runs = 3, rounds = 5 } = {}) {
  const build = withBlankPage(DIST_E2E);
  const standIn = await startBetterAuthStandIn({ delayMs: DELAY_MS });
  const ba = await startBetterAuth();
  try {
    // 1 and 2: the stand-in, whose own cost per request is negligible.
    const stand: Service = {
      origin: (host) => standIn.origin(host),
      signIn: async (i) => [{ name: STANDIN_COOKIE, value: standIn.signIn(i) }],
    };
    const one: AuditTimes[] = [], many: AuditTimes[] = [];
    const paint: PaintSample[] = [];
    for (let run = 0; run < runs; run++) {
      const single = [stand.origin(`s${run}-one.localhost`)];
      one.push(await withExtension(build, async (ctx, id) => auditTimes(ctx, await linkAccounts(ctx, id, single, stand), single)));
      await withExtension(build, async (ctx, id) => {
        const origins = Array.from({ length: accounts }, (_, i) => stand.origin(`s${run}-a${i}.localhost`));
        many.push(await auditTimes(ctx, await linkAccounts(ctx, id, origins, stand), origins));
        // Warmed by the audits above; the popup opens on its Sessions tab (no authenticator here).
        paint.push(...(await paintDuringAudit(ctx, id, rounds)));
      });
    }
    auditRows(`stand-in, ${DELAY_MS} ms a request`, accounts, runs, one, many, '');
    const blank = median(paint.map((s) => s.blank)), popup = median(paint.map((s) => s.popup));
    const during = paint.filter((s) => s.during).length;
    row('blank extension page painted (audit runs)', fmt(blank, 'ms'), `(median of ${paint.length}, in turns with the popup)`);
    const quiet = median(paint.map((s) => s.quiet));
    row('  popup Sessions painted, no audit running', `${fmt(quiet, 'ms')} ${(quiet / blank).toFixed(2)}x`, '(in turns: what the audit adds is the difference)');
    row(`popup Sessions painted during a ${accounts}-account audit`, `${fmt(popup, 'ms')} ${(popup / blank).toFixed(2)}x`,
      `${against(popup / blank <= PAINT_GOAL, `goal <= ${PAINT_GOAL}x blank`)} (${during} of ${paint.length} before the audit ended)`);

    // The real better-auth server, each of its requests held 300 ms.
    for (let i = 0; i < accounts; i++) await ba.createUser(email(i), PASSWORD);
    ba.delayPath('/get-session', DELAY_MS);
    ba.delayPath('/list-sessions', DELAY_MS);
    const port = new URL(ba.origin).port;
    const real: Service = {
      origin: (host) => `http://${host}:${port}`,
      signIn: async (i) => (await ba.signIn(email(i), PASSWORD)).split(/;\s*/).map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), value: pair.slice(at + 1) };
      }),
    };
    const realOne: AuditTimes[] = [], realMany: AuditTimes[] = [];
    for (let run = 0; run < runs; run++) {
      const single = [real.origin(`r${run}-one.localhost`)];
      realOne.push(await withExtension(build, async (ctx, id) => auditTimes(ctx, await linkAccounts(ctx, id, single, real), single)));
      const origins = Array.from({ length: accounts }, (_, i) => real.origin(`r${run}-a${i}.localhost`));
      realMany.push(await withExtension(build, async (ctx, id) => auditTimes(ctx, await linkAccounts(ctx, id, origins, real), origins)));
    }
    auditRows('real better-auth server', accounts, runs, realOne, realMany, ' (the test server\'s own throughput, see busy time)');
  } finally {
    await Promise.all([ba.close(), standIn.close()]);
    rmSync(build, { recursive: true, force: true });
  }
}
