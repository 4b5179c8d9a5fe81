// this runs under the 'unit' project
// What the Discourse connector's own cases (run in connectors.test.ts) cannot say: two forums in
// one browser stay two accounts, and the loopback forum refuses what the real one refuses.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discourseConnector } from '../../src/connectors/discourse';
import { ConnectorError } from '../../src/connectors/types';
import { caseAccount, contextFor, loadHtmlParser, newBrowser } from '../connectors/harness';
import { startDiscourseCaseServer, type DiscourseCaseServer } from '../connectors/servers/discourse';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

let a: DiscourseCaseServer;
let b: DiscourseCaseServer;
beforeAll(async () => {
  await loadHtmlParser();
  // Two hosts, as two real forums are: cookies are per host, not per port.
  [a, b] = await Promise.all([startDiscourseCaseServer({ host: '127.0.0.1' }), startDiscourseCaseServer({ host: '127.0.0.2' })]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});
beforeEach(async () => {
  await Promise.all([a.reset(), b.reset()]);
});

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const e = await promise.then(
    (v) => new Error(`expected a ConnectorError, got ${JSON.stringify(v)}`),
    (err: unknown) => err,
  );
  if (!(e instanceof ConnectorError)) throw e;
  return e;
}

describe('two Discourse forums in one browser', () => {
  it('are two accounts: each lists and ends only its own sessions', async () => {
    const browser = newBrowser();
    await a.act('sign-in', { user: 'alice', userAgent: CHROME }, browser);
    await b.act('sign-in', { user: 'bob', userAgent: FIREFOX }, browser);
    a.native.signIn('alice', FIREFOX, '198.51.100.23');
    b.native.signIn('bob', CHROME, '203.0.113.7');
    b.native.signIn('bob', CHROME, '192.0.2.44');
    const ctxA = contextFor(discourseConnector, caseAccount(discourseConnector, a), browser);
    const ctxB = contextFor(discourseConnector, caseAccount(discourseConnector, b), browser);

    expect(await discourseConnector.whoami(ctxA)).toEqual({ account: 'alice' });
    expect(await discourseConnector.whoami(ctxB)).toEqual({ account: 'bob' });
    const listA = await discourseConnector.listSessions!(ctxA);
    const listB = await discourseConnector.listSessions!(ctxB);
    expect(listA.map((s) => s.id).sort()).toEqual(a.native.tokens.map((t) => String(t.id)).sort());
    expect(listB.map((s) => s.id).sort()).toEqual(b.native.tokens.map((t) => String(t.id)).sort());
    expect(listA.find((s) => s.current)).toMatchObject({ browser: 'Google Chrome' });
    expect(listB.find((s) => s.current)).toMatchObject({ browser: 'Firefox' });

    await discourseConnector.revoke!(ctxB, 'all');
    expect(b.native.tokens).toHaveLength(0);
    expect(a.native.tokens).toHaveLength(2);
    expect(await discourseConnector.whoami(ctxB)).toBeNull();
    expect(await discourseConnector.whoami(ctxA)).toEqual({ account: 'alice' });
  });
});

describe('the loopback forum refuses what Discourse refuses', () => {
  async function signedIn() {
    const browser = newBrowser();
    await a.act('sign-in', { user: 'alice', userAgent: CHROME }, browser);
    const other = a.native.signIn('alice', FIREFOX, '198.51.100.23');
    const bobs = a.native.signIn('bob', FIREFOX, '198.51.100.23');
    const csrf = async () => {
      const res = await browser.fetch(`${a.origin}/session/csrf`, { headers: { 'x-requested-with': 'XMLHttpRequest' } });
      return ((await res.json()) as { csrf: string }).csrf;
    };
    const post = async (path: string, headers: Record<string, string>, form: Record<string, string> = {}) => {
      const res = await browser.fetch(`${a.origin}${path}`, {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: a.origin, ...headers }, body: new URLSearchParams(form).toString(),
      });
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
    };
    return { browser, other, bobs, csrf, post };
  }
  const revokePath = '/u/alice/preferences/revoke-auth-token';
  const xhr = { 'x-requested-with': 'XMLHttpRequest' };

  it('without the CSRF token: 403 ["BAD CSRF"], nothing ended', async () => {
    const { post } = await signedIn();
    expect(await post(revokePath, xhr)).toMatchObject({ status: 403, body: '["BAD CSRF"]' });
    expect(a.native.tokens).toHaveLength(3);
  });

  it('without X-Requested-With: 200 with the HTML app shell, nothing ended', async () => {
    const { post, csrf } = await signedIn();
    const res = await post(revokePath, { 'x-csrf-token': await csrf() });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/text\/html/);
    expect(a.native.tokens).toHaveLength(3);
  });

  it("another user's token, or this request's own: 400, nothing ended; another user's page: 403", async () => {
    const { post, csrf, bobs, browser } = await signedIn();
    expect((await post(revokePath, { ...xhr, 'x-csrf-token': await csrf() }, { token_id: String(bobs.id) })).status).toBe(400);
    const own = a.native.tokens.find((t) => t.authToken === browser.jar.get(`${a.origin}/`, '_t'))!;
    expect((await post(revokePath, { ...xhr, 'x-csrf-token': await csrf() }, { token_id: String(own.id) })).status).toBe(400);
    expect((await post('/u/bob/preferences/revoke-auth-token', { ...xhr, 'x-csrf-token': await csrf() })).status).toBe(403);
    expect(a.native.tokens).toHaveLength(3);
  });

  it("the connector does not try to end this browser's own session by id, and says why", async () => {
    const { browser } = await signedIn();
    const ctx = contextFor(discourseConnector, caseAccount(discourseConnector, a), browser);
    const current = (await discourseConnector.listSessions!(ctx)).find((s) => s.current)!;
    const e = await failure(discourseConnector.revoke!(ctx, { id: current.id }));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toMatch(/Sign out of site/);
    expect(a.native.tokens).toHaveLength(3);
  });

  it('a wrong address (the HTML shell answers) is page-changed, not "signed out"', async () => {
    const ctx = contextFor(discourseConnector, { ...caseAccount(discourseConnector, a), instanceUrl: `${a.origin}/latest` }, newBrowser());
    expect((await failure(discourseConnector.whoami(ctx))).kind).toBe('page-changed');
  });
});
