// this runs under the 'unit' project
// Every registered connector's own cases against loopback servers, then what the cases cannot
// say: the origin check of a real better-auth, its fresh-session rule, two-factor sign-in with
// the vault's own code generator, and hostile or broken servers seen through the context.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { betterAuthConnector } from '../../src/connectors/better-auth';
import { createConnectorContext, excerpt, type RawFetch } from '../../src/connectors/context';
import { genericConnector, THIS_BROWSER } from '../../src/connectors/generic';
import { nextcloudConnector } from '../../src/connectors/nextcloud';
import { connectors } from '../../src/connectors/registry';
import { asSessionList, ConnectorError, type ConnectorContext, type FailureKind, type LinkedAccountRef } from '../../src/connectors/types';
import { say } from '../../src/i18n/t';
import { parseUserAgent } from '../../src/connectors/user-agent';
import { generateCode } from '../../src/vault/codes';
import { parseOtpUri } from '../../src/vault/otp-uri';
import { CookieJar } from '../connectors/cookie-jar';
import { caseAccount, contextFor, describeConnectorCases, loadHtmlParser, mismatches, newBrowser } from '../connectors/harness';
import { BETTER_AUTH_COOKIE, CASE_USER, type BetterAuthCaseServer } from '../connectors/servers/better-auth';
import type { GenericCaseServer } from '../connectors/servers/generic-site';
import { startNextcloudCaseServer, type NextcloudCaseServer } from '../connectors/servers/nextcloud';
import { closedPort, HOSTILE_TOKEN, HOSTILE_UA, startHostileServer, type HostileServer } from '../connectors/servers/hostile';

const pool = describeConnectorCases(connectors);

/** The ConnectorError a promise rejects with (fails the test if it resolves or throws something else). */
async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const outcome = await promise.then(
    (value) => new Error(`expected a ConnectorError, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  if (!(outcome instanceof ConnectorError)) throw outcome;
  return outcome;
}

async function expectKind(promise: Promise<unknown>, kind: FailureKind): Promise<ConnectorError> {
  const e = await failureOf(promise);
  expect(e.kind, `${e.message} [${e.detail ?? ''}]`).toBe(kind);
  return e;
}

// -------------------------------------------------------------------------------------------
describe('better-auth connector against the real server', () => {
  let ba: BetterAuthCaseServer;
  beforeAll(async () => {
    ba = (await pool.get('better-auth')) as BetterAuthCaseServer;
    await loadHtmlParser();
  });
  beforeEach(() => ba.reset());

  /** This browser signed in, plus one other device. */
  async function signedIn(): Promise<{ ctx: ConnectorContext; browser: ReturnType<typeof newBrowser>; account: LinkedAccountRef }> {
    const browser = newBrowser();
    await ba.act('sign-in', { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' }, browser);
    await ba.native.signIn(CASE_USER.email, CASE_USER.password, 'curl/8.5.0', '198.51.100.2');
    const account = caseAccount(betterAuthConnector, ba);
    return { ctx: contextFor(betterAuthConnector, account, browser), browser, account };
  }

  it("passes the origin check only with the site's own Origin, as the context sends it", async () => {
    const { ctx, browser } = await signedIn();
    const post = (headers: Record<string, string>) =>
      browser.fetch(`${ba.native.baseURL}/revoke-other-sessions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

    // What Chromium sends from an extension page or worker by default.
    const fromExtension = await post({ origin: 'chrome-extension://abc' });
    expect(fromExtension.status).toBe(403);
    expect(await fromExtension.json()).toMatchObject({ code: 'INVALID_ORIGIN' });
    const noOrigin = await post({});
    expect(noOrigin.status).toBe(403);
    expect(await noOrigin.json()).toMatchObject({ code: 'MISSING_OR_NULL_ORIGIN' });
    expect(ba.native.listSessionsDirect(CASE_USER.email)).toHaveLength(2);

    await betterAuthConnector.revoke!(ctx, 'others');
    expect(ba.native.listSessionsDirect(CASE_USER.email)).toHaveLength(1);
  });

  it('explains a refused origin as forbidden (a browser that does not honour the Origin header)', async () => {
    const { browser, account } = await signedIn();
    const extensionOrigin: RawFetch = (url, init) => browser.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), origin: 'chrome-extension://abc' } });
    const ctx = contextFor(betterAuthConnector, account, { ...browser, fetch: extensionOrigin });
    const e = await expectKind(betterAuthConnector.revoke!(ctx, 'all'), 'forbidden');
    expect(e.message).toMatch(/origin check/);
    expect(e.detail).toBe('HTTP 403 INVALID_ORIGIN');
    expect(ba.native.listSessionsDirect(CASE_USER.email)).toHaveLength(2);
  });

  it("applies better-auth's fresh-session rule: past a day, this browser's session alone, the others hidden", async () => {
    const { ctx } = await signedIn();
    ba.native.makeSessionsStale();
    const rows = ba.native.listSessionsDirect(CASE_USER.email);
    const own = rows.find((r) => r.userAgent !== 'curl/8.5.0')!;
    const other = rows.find((r) => r.userAgent === 'curl/8.5.0')!;
    const list = asSessionList(await betterAuthConnector.listSessions!(ctx));
    // Read from get-session: this browser's session with its start, never an empty "no others".
    expect(list.sessions).toMatchObject([{ id: own.id, current: true, browser: 'Safari 17', createdAt: new Date(own.createdAt).getTime() }]);
    expect(JSON.stringify(list)).not.toContain(own.token);
    expect(say(list.hidden!)).toBe(`${new URL(ba.origin).host} shows your other sessions only to a sign-in less than a day old (better-auth’s default).`);
    // Ending another session needs its token, which only the (fresh-only) list gives.
    const e = await expectKind(betterAuthConnector.revoke!(ctx, { id: other.id }), 'reauth');
    expect(e.detail).toBe('HTTP 403 SESSION_NOT_FRESH');
    // What the message promises: ending the others needs no fresh sign-in.
    await betterAuthConnector.revoke!(ctx, 'others');
    expect(ba.native.listSessionsDirect(CASE_USER.email).map((r) => r.id)).toEqual([own.id]);
    // And this browser's own session ends by the token get-session gives.
    await betterAuthConnector.revoke!(ctx, { id: own.id });
    expect(ba.native.listSessionsDirect(CASE_USER.email)).toHaveLength(0);
  });

  it('shows sessions by id, never their tokens, and ends one by finding its token again', async () => {
    const { ctx } = await signedIn();
    const rows = ba.native.listSessionsDirect(CASE_USER.email);
    const { sessions } = asSessionList(await betterAuthConnector.listSessions!(ctx));
    expect(sessions.map((s) => s.id).sort()).toEqual(rows.map((r) => r.id).sort());
    const text = JSON.stringify(sessions);
    for (const r of rows) expect(text).not.toContain(r.token);
    expect(sessions.find((s) => s.current)).toMatchObject({ browser: 'Safari 17', os: 'macOS', device: 'Computer' });

    const other = sessions.find((s) => !s.current)!;
    await betterAuthConnector.revoke!(ctx, { id: other.id });
    expect(ba.native.listSessionsDirect(CASE_USER.email).map((r) => r.id)).toEqual(sessions.filter((s) => s.current).map((s) => s.id));
    // Ending it again: already gone, which is what was asked for.
    await betterAuthConnector.revoke!(ctx, { id: other.id });
  });

  it('signs in with two factors (otpauth URI read and code made by the vault), then lists that session', async () => {
    const email = 'totp-user@revoke.test';
    const password = 'totp-password-123';
    await ba.native.createUser(email, password);
    const setupCookie = await ba.native.signIn(email, password, 'setup-device');
    const { totpURI } = await ba.native.enableTwoFactor(setupCookie, password);
    const parsed = parseOtpUri(totpURI);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.entry).toMatchObject({ type: 'totp', digits: 6, period: 30, account: email });
    await ba.native.verifyTotp(setupCookie, generateCode(parsed.entry, Date.now()));

    const browser = newBrowser();
    const account = caseAccount(betterAuthConnector, ba);
    const ctx = contextFor(betterAuthConnector, account, browser);
    const post = (path: string, body: unknown) =>
      browser.fetch(`${ba.native.baseURL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ba.origin, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' },
        body: JSON.stringify(body),
      });

    const first = await post('/sign-in/email', { email, password });
    expect(await first.json()).toMatchObject({ twoFactorRedirect: true, twoFactorMethods: ['totp'] });
    expect(await betterAuthConnector.whoami(ctx)).toBeNull(); // half signed in is not signed in

    const second = await post('/two-factor/verify-totp', { code: generateCode(parsed.entry, Date.now()) });
    expect(second.status).toBe(200);
    expect(await betterAuthConnector.whoami(ctx)).toMatchObject({ account: email });
    const { sessions } = asSessionList(await betterAuthConnector.listSessions!(ctx));
    expect(sessions).toHaveLength(2); // the setup device (rotated by enrolment) and this browser
    expect(sessions.filter((s) => s.current)).toMatchObject([{ browser: 'Firefox 133', os: 'Linux' }]);
    const cookie = browser.jar.get(ba.native.baseURL, BETTER_AUTH_COOKIE);
    expect(cookie).toBeDefined();
  });
});

// -------------------------------------------------------------------------------------------
describe('hostile and broken servers, through the context', () => {
  let hostile: HostileServer;
  beforeAll(async () => {
    hostile = await startHostileServer();
  });
  afterAll(() => hostile.close());

  function ctxFor(mode: string, timeoutMs = 2_000, signal?: AbortSignal): ConnectorContext {
    const account: LinkedAccountRef = { id: 'hostile', connectorId: 'better-auth', origin: hostile.origin, instanceUrl: `${hostile.origin}/${mode}`, settings: {} };
    return contextFor(betterAuthConnector, account, newBrowser(), { timeoutMs, ...(signal ? { signal } : {}) });
  }

  it('keeps HTML and script in session fields as plain text, and drops the token', async () => {
    const [session] = asSessionList(await betterAuthConnector.listSessions!(ctxFor('script-ua'))).sessions;
    expect(session).toMatchObject({
      id: 'hostile-session-1',
      current: true,
      ip: '<b>203.0.113.9</b>',
      browser: 'Chrome 120',
      os: 'Windows',
      extra: {
        'User agent': HOSTILE_UA,
        note: '<iframe src="javascript:alert(4)"></iframe>',
        nested: '{"html":"<b>bold</b>"}',
      },
    });
    expect(JSON.stringify(session)).not.toContain(HOSTILE_TOKEN);
    expect(Object.keys(session!.extra)).not.toContain('token');
    expect(await betterAuthConnector.whoami(ctxFor('script-ua'))).toEqual({ account: '<img src=x onerror=alert(3)>@example.test', sessionId: 'hostile-session-1' });
  });

  it('stops reading a 10 MB answer at the size cap: page-changed, fast', async () => {
    for (const mode of ['huge', 'huge-chunked']) {
      const started = performance.now();
      const e = await expectKind(betterAuthConnector.whoami(ctxFor(mode)), 'page-changed');
      expect(e.message).toMatch(/more than 2 MB/);
      expect(performance.now() - started, mode).toBeLessThan(1_000);
    }
  });

  it('reads a redirect to a sign-in page as signed-out, other redirects as page-changed', async () => {
    // better-auth's API never redirects: a sign-in redirect comes from something in front of it
    // that wants a sign-in, which is what the person can act on. Anything else is not the API.
    const e = await expectKind(betterAuthConnector.whoami(ctxFor('login-redirect')), 'signed-out');
    expect(e.detail).toBe('redirected to /login');
    await expectKind(betterAuthConnector.whoami(ctxFor('other-redirect')), 'page-changed');
    const offsite = await expectKind(betterAuthConnector.whoami(ctxFor('offsite-redirect')), 'page-changed');
    expect(offsite.message).toMatch(/another site/);
  });

  it('never sends a POST on through a redirect: its body (a session token) stays with the linked site', async () => {
    for (const mode of ['post-307', 'post-308-here']) {
      const before = hostile.seen.length;
      const e = await expectKind(betterAuthConnector.revoke!(ctxFor(mode), { id: 'hostile-session-1' }), 'page-changed');
      expect(e.message).toMatch(/redirect instead of carrying out the request/);
      const posts = hostile.seen.slice(before).filter((r) => r.startsWith('POST'));
      expect(posts, mode).toEqual([`POST /${mode}/revoke-session`]);
    }
  });

  it('past a day, with a get-session session it cannot read, says the list needs a fresh sign-in rather than "unknown data"', async () => {
    const e = await expectKind(betterAuthConnector.listSessions!(ctxFor('stale-trimmed')), 'reauth');
    expect(e.detail).toBe('HTTP 403 SESSION_NOT_FRESH');
  });

  it('finds no better-auth API where every candidate answers with something else', async () => {
    const e = await expectKind(betterAuthConnector.resolveInstance!(ctxFor('html')), 'page-changed');
    expect(e.message).toMatch(/found no better-auth API at .*\/html \(nor at .*\/html\/api\/auth\)/);
    await expectKind(betterAuthConnector.resolveInstance!(ctxFor('hang', 150)), 'timeout');
  });

  it('says a site keeps redirecting, rather than that it could not be reached', async () => {
    const e = await expectKind(betterAuthConnector.whoami(ctxFor('loop')), 'server');
    expect(e.message).toMatch(/keeps redirecting/);
  });

  it('reports answers that are not the API as page-changed, never as "no sessions"', async () => {
    for (const mode of ['bad-json', 'html', 'gone-404']) await expectKind(betterAuthConnector.whoami(ctxFor(mode)), 'page-changed');
    for (const mode of ['wrong-shape', 'not-array', 'null-list', 'html']) await expectKind(betterAuthConnector.listSessions!(ctxFor(mode)), 'page-changed');
    const e = await expectKind(betterAuthConnector.whoami(ctxFor('bad-json')), 'page-changed');
    expect(e.detail).toContain('{"session": {"id":');
  });

  it('reports 5xx as a server problem', async () => {
    await expectKind(betterAuthConnector.whoami(ctxFor('error-500')), 'server');
  });

  it('times out on a server that never answers, or stops mid-body', async () => {
    for (const mode of ['hang', 'hang-body']) {
      const started = performance.now();
      const e = await expectKind(betterAuthConnector.whoami(ctxFor(mode, 150)), 'timeout');
      expect(e.message).toMatch(/did not answer within 150 ms/);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it("cancels a request when the context's signal aborts", async () => {
    const controller = new AbortController();
    const pending = betterAuthConnector.whoami(ctxFor('hang', 5_000, controller.signal));
    setTimeout(() => controller.abort(), 50);
    const e = await expectKind(pending, 'timeout');
    expect(e.message).toMatch(/cancelled/);
  });

  it('reports a refused connection as offline', async () => {
    const port = await closedPort();
    const account: LinkedAccountRef = { id: 'x', connectorId: 'better-auth', origin: `http://127.0.0.1:${port}`, instanceUrl: `http://127.0.0.1:${port}/api/auth`, settings: {} };
    const e = await expectKind(betterAuthConnector.whoami(contextFor(betterAuthConnector, account, newBrowser())), 'offline');
    expect(e.detail).toBe('ECONNREFUSED');
  });

  it("refuses any URL outside the account's origins, before any request", async () => {
    const ctx = ctxFor('script-ua');
    const before = hostile.seen.length;
    const port = new URL(hostile.origin).port;
    for (const url of [
      'https://example.com/api/auth/get-session',
      `http://localhost:${port}/script-ua/get-session`, // same server, another origin
      `http://127.0.0.1:${Number(port) + 1}/`,
      `https://127.0.0.1:${port}/`,
      'chrome-extension://abc/popup.html',
      'file:///etc/passwd',
      `http://user:pw@127.0.0.1:${port}/`,
    ]) {
      await expectKind(ctx.fetch(url), 'permission');
    }
    expect(hostile.seen.length).toBe(before);
  });
});

// -------------------------------------------------------------------------------------------
describe('the context', () => {
  /** An echo server stand-in: records what the context hands to the platform fetch. */
  function recordingContext(): { ctx: ConnectorContext; calls: { url: string; init: RequestInit }[] } {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch: RawFetch = async (url, init) => {
      calls.push({ url, init });
      return new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
    };
    const account: LinkedAccountRef = { id: 'a', connectorId: 'x', origin: 'https://app.example.com', settings: {} };
    const ctx = createConnectorContext({ fetch, account, origins: ['https://api.example.com'], local: new CookieJar(), selectHtml: () => { throw new Error('unused'); } });
    return { ctx, calls };
  }

  it("sends the target's own Origin on unsafe methods only, and encodes bodies", async () => {
    const { ctx, calls } = recordingContext();
    await ctx.fetch('https://app.example.com/a');
    await ctx.fetch('https://app.example.com/b', { json: { token: 'x' } });
    await ctx.fetch('https://api.example.com/c', { method: 'delete', form: { a: '1', b: 'x y' }, headers: { Origin: 'chrome-extension://abc' } });
    const [get, postJson, deleteForm] = calls.map((c) => ({ method: c.init.method, headers: c.init.headers as Record<string, string>, body: c.init.body, credentials: c.init.credentials }));
    expect(get).toMatchObject({ method: 'GET', body: undefined, credentials: 'include' });
    expect(get!.headers.origin).toBeUndefined();
    expect(postJson).toMatchObject({ method: 'POST', body: '{"token":"x"}', headers: { origin: 'https://app.example.com', 'content-type': 'application/json' } });
    expect(deleteForm).toMatchObject({ method: 'DELETE', body: 'a=1&b=x+y', headers: { origin: 'https://api.example.com', 'content-type': 'application/x-www-form-urlencoded' } });
  });

  it('resolves paths against the account origin and reads JSON', async () => {
    const { ctx, calls } = recordingContext();
    const res = await ctx.fetch('/relative?q=1');
    expect(calls[0]!.url).toBe('https://app.example.com/relative?q=1');
    expect(await res.json()).toEqual({ ok: true });
    expect(await res.text()).toBe('{"ok":true}'); // readable twice
  });

  it('cuts token-like runs out of excerpts', () => {
    expect(excerpt('<html>\n  token=abcdefghijklmnopqrstuvwxyz0123 more')).toBe('<html> […] more');
    expect(excerpt('x'.repeat(500)).length).toBeLessThanOrEqual(121);
  });
});

// -------------------------------------------------------------------------------------------
describe('generic connector: what signing out without a logout address does', () => {
  let site: GenericCaseServer;
  beforeAll(async () => {
    site = (await pool.get('generic-site')) as GenericCaseServer;
  });
  beforeEach(() => site.reset());

  it('with no sign-out on its pages, refuses to end the session (clearing this browser leaves it valid for a copied cookie)', async () => {
    const browser = newBrowser();
    await site.act('sign-in', { user: 'alice' }, browser);
    const sid = browser.jar.get(`${site.origin}/`, 'sid')!;
    const ctx = contextFor(genericConnector, caseAccount(genericConnector, site), browser);
    const e = await expectKind(genericConnector.revoke!(ctx, { id: THIS_BROWSER }), 'unsupported');
    expect(e.message).toMatch(/found no sign-out on .*'s pages \(it looked at “\/”\)/);
    // What the engine does instead (a local sign-out), and why its result says the session may live on:
    await ctx.local.clear(site.origin);
    expect(await browser.jar.cookieNames(site.origin)).toEqual([]);
    const copied = await fetch(`${site.origin}/me`, { headers: { cookie: `sid=${sid}` } });
    expect(await copied.json()).toEqual({ user: 'alice' });
  });

  it('still clears this browser when the logout address fails, and says the server session may live on', async () => {
    const browser = newBrowser();
    await site.act('sign-in', { user: 'alice' }, browser);
    const account = { ...caseAccount(genericConnector, site), settings: { logoutUrl: '/no-such-logout-page', logoutMethod: 'POST' } };
    // The loopback site answers unknown paths with 200; a 404 comes from a wrapper here.
    const notFound: RawFetch = async (url, init) => (url.includes('no-such') ? new Response('gone', { status: 404 }) : browser.fetch(url, init));
    const ctx = contextFor(genericConnector, account, { ...browser, fetch: notFound });
    const e = await expectKind(genericConnector.revoke!(ctx, 'all'), 'page-changed');
    expect(e.message).toMatch(/used the sign-out address you gave \(\/no-such-logout-page\)\. It failed.*may still be valid on the server; this browser's cookies and data .* were cleared/);
    expect(await browser.jar.cookieNames(site.origin)).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------
describe('cookie jar', () => {
  const at = { t: Date.parse('2026-11-01T00:00:00Z') };
  const jar = () => new CookieJar(() => at.t);

  it('keeps host-only and domain cookies apart, with paths', () => {
    const j = jar();
    j.setCookie('a=1; Path=/', 'https://app.example.com/x/y');
    j.setCookie('b=2; Domain=.example.com', 'https://app.example.com/');
    j.setCookie('c=3; Path=/admin', 'https://app.example.com/');
    j.setCookie('d=4', 'https://app.example.com/deep/page'); // default path /deep
    expect(j.cookieHeader('https://app.example.com/')).toBe('a=1; b=2');
    expect(j.cookieHeader('https://other.example.com/')).toBe('b=2');
    expect(j.cookieHeader('https://app.example.com/admin/users')).toBe('c=3; a=1; b=2');
    expect(j.cookieHeader('https://app.example.com/administrator')).toBe('a=1; b=2');
    expect(j.cookieHeader('https://app.example.com/deep/other')).toBe('d=4; a=1; b=2');
    expect(j.setCookie('e=5; Domain=evil.test', 'https://app.example.com/')).toBeNull();
  });

  it('expires by Max-Age (which wins over Expires) and deletes by past dates', () => {
    const j = jar();
    j.setCookie('s=1; Max-Age=60; Expires=Thu, 01 Jan 2099 00:00:00 GMT', 'https://a.test/');
    j.setCookie('t=2; Expires=Thu, 01 Jan 2099 00:00:00 GMT', 'https://a.test/');
    expect(j.cookieHeader('https://a.test/')).toBe('s=1; t=2');
    at.t += 61_000;
    expect(j.cookieHeader('https://a.test/')).toBe('t=2');
    j.setCookie('t=; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'https://a.test/');
    j.setCookie('u=3; Path=/', 'https://a.test/');
    j.setCookie('u=; Max-Age=0; Path=/', 'https://a.test/');
    expect(j.cookieHeader('https://a.test/')).toBe('');
  });

  it('sends Secure cookies over https and loopback only, and parses flags', () => {
    const j = jar();
    expect(j.setCookie('s=1; Secure; HttpOnly; SameSite=Strict', 'http://example.test/')).toBeNull();
    expect(j.setCookie('__Host-x=1; Secure; Path=/', 'https://example.test/')).toMatchObject({ secure: true, hostOnly: true });
    expect(j.setCookie('__Host-y=1; Secure; Path=/; Domain=example.test', 'https://example.test/')).toBeNull();
    expect(j.setCookie('l=1; Secure; HttpOnly; SameSite=Lax', 'http://127.0.0.1:8080/')).toMatchObject({ httpOnly: true, sameSite: 'lax' });
    expect(j.cookieHeader('http://127.0.0.1:9999/')).toBe('l=1'); // cookies ignore ports
    expect(j.cookieHeader('http://example.test/')).toBe('');
  });

  it('works as LocalState: names per host, cleared for every port and scheme', async () => {
    const j = jar();
    j.setCookie('a=1', 'http://127.0.0.1:1111/');
    j.setCookie('b=1; Path=/x', 'http://127.0.0.1:2222/x/');
    j.setCookie('c=1', 'http://localhost:1111/');
    expect(await j.cookieNames('https://127.0.0.1')).toEqual(['a', 'b']);
    await j.clear('http://127.0.0.1:3333');
    expect(await j.cookieNames('http://127.0.0.1:1111')).toEqual([]);
    expect(await j.cookieNames('http://localhost:1111')).toEqual(['c']);
  });
});

// -------------------------------------------------------------------------------------------
describe('user agent parser', () => {
  const cases: [string, ReturnType<typeof parseUserAgent>][] = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', { browser: 'Chrome 131', os: 'Windows', device: 'Computer' }],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86', { browser: 'Edge 131', os: 'Windows', device: 'Computer' }],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', { browser: 'Safari 17', os: 'macOS', device: 'Computer' }],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', { browser: 'Firefox 133', os: 'Linux', device: 'Computer' }],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', { browser: 'Safari 18', os: 'iOS', device: 'Phone' }],
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1', { browser: 'Chrome 120', os: 'iOS', device: 'Tablet' }],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', { browser: 'Chrome 131', os: 'Android', device: 'Phone' }],
    ['Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Safari/537.36', { browser: 'Samsung Internet 23', os: 'Android', device: 'Tablet' }],
    ['Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0', { browser: 'Firefox 133', os: 'Android', device: 'Phone' }],
    ['curl/8.5.0', { browser: 'curl 8' }],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', { browser: 'Googlebot', device: 'Bot' }],
    ['node', { browser: 'Node.js' }],
    ['', {}],
    ['<script>alert(1)</script>', {}],
  ];
  it.each(cases)('%s', (ua, expected) => {
    expect(parseUserAgent(ua)).toEqual(expected);
  });
});

describe('harness matching language', () => {
  it('matches exact values, regexes, types, absence and partial objects', () => {
    const value = { a: 'Chrome 131', n: 3, nested: { x: 'y', z: 1 } };
    expect(mismatches(value, { a: 're:^Chrome \\d+$', n: 'type:number', missing: 'absent', nested: { x: 'y' } })).toEqual([]);
    expect(mismatches(value, { a: 'Firefox', n: 'type:string', nested: 'absent' })).toHaveLength(3);
    expect(mismatches(null, null)).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------
describe('Nextcloud: the handshake the loopback server holds the connector to, and two instances', () => {
  it("refuses a DELETE without the request token (412) or without the same-site cookies (302), as Nextcloud's middleware does", async () => {
    const server = (await pool.get('nextcloud')) as NextcloudCaseServer;
    await server.reset();
    const browser = newBrowser();
    await server.act('sign-in', { userAgent: 'curl/8.5.0' }, browser);
    await server.act('sign-in-elsewhere', { userAgent: 'curl/8.5.0' }, browser);
    const other = [...server.native.tokens.values()].find((t) => t.id !== server.native.sessions.get(browser.jar.get(`${server.origin}/`, server.native.sessionCookie)!)!.tokenId)!;
    const url = `${server.origin}/index.php/settings/personal/authtokens/${other.id}`;
    expect((await browser.fetch(url, { method: 'DELETE', headers: { accept: 'application/json' } })).status).toBe(412);
    const session = browser.jar.get(`${server.origin}/`, server.native.sessionCookie)!;
    const bare = await fetch(url, { method: 'DELETE', redirect: 'manual', headers: { cookie: `${server.native.sessionCookie}=${session}` } });
    expect(bare.status).toBe(302);
    expect(server.native.tokens.has(other.id)).toBe(true);
  });

  it('keeps two instances apart: each lists its own sessions, in one browser', async () => {
    const [a, b] = await Promise.all([startNextcloudCaseServer(), startNextcloudCaseServer()]);
    try {
      const browser = newBrowser();
      await a.act('sign-in', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' }, browser);
      await b.act('sign-in', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' }, browser);
      await b.act('add-app-password', { name: 'phone' }, browser);
      const listA = await nextcloudConnector.listSessions!(contextFor(nextcloudConnector, caseAccount(nextcloudConnector, a), browser));
      const ctxB = contextFor(nextcloudConnector, caseAccount(nextcloudConnector, b), browser);
      expect(listA).toHaveLength(1);
      expect(await nextcloudConnector.listSessions!(ctxB)).toHaveLength(2);
      await nextcloudConnector.revoke!(ctxB, 'all');
      expect(b.native.tokens.size).toBe(0);
      expect(await nextcloudConnector.whoami(ctxB)).toBeNull();
      // The other instance's session is untouched.
      expect((await nextcloudConnector.listSessions!(contextFor(nextcloudConnector, caseAccount(nextcloudConnector, a), browser))).map((s) => s.id)).toEqual(listA.map((s) => s.id));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
