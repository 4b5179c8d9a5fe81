// this runs under the 'unit' project
// One look at an account: who-am-I and the list asked at once, the reads they share sent once, and
// the answer still what asking one after the other gives (signed out stays signed out, a changed
// page stays page-changed, this browser's session stays marked). Last, better-auth through the
// engine against the real better-auth server, each request held 300 ms as the watch's figure has it.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { betterAuthConnector } from '../../src/connectors/better-auth';
import { createConnectorContext, type RawFetch } from '../../src/connectors/context';
import { withSharedReads } from '../../src/connectors/shared-reads';
import { ConnectorError, type Connector, type ConnectorContext, type LinkedAccountRef } from '../../src/connectors/types';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, sessionsConnection } from '../../src/sessions/db';
import { createSessionEngine } from '../../src/sessions/engine';
import type { AccountResult, LinkedAccount } from '../../src/sessions/types';
import { contextFor, newBrowser } from '../connectors/harness';
import type { BetterAuthCaseServer } from '../connectors/servers/better-auth';
import { ServerPool } from '../connectors/servers/index';
import { FakeBrowser, sleep } from './sessions-world';

let dbs = 0;

/** An engine over the given connectors; `context` builds each look's context (default: no network). */
async function engineWith(connectors: Connector[], context?: (account: LinkedAccount, signal: AbortSignal) => ConnectorContext) {
  const registry = new Map(connectors.map((c) => [c.meta.id, c]));
  const db = sessionsConnection(() => openSessionsDb(`sessions-look-${++dbs}-${Math.random().toString(36).slice(2)}`));
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const store = createAccountStore({ db, connectorById: (id) => registry.get(id), now: Date.now, newId });
  const local = new FakeBrowser().local;
  const engine = createSessionEngine({
    db,
    connectorById: (id) => registry.get(id),
    contextFor: context ?? ((account, signal) => ({
      account, signal, local, now: Date.now,
      fetch: () => Promise.reject(new Error('no network in this test')),
      selectHtml: () => Promise.reject(new Error('no HTML in this test')),
    })),
    now: Date.now,
    newId,
  });
  const link = (connectorId: string, origin = 'https://svc.test') => store.add({ connectorId, instanceUrl: origin, label: origin });
  return { engine, link };
}

const meta = (id: string): Connector['meta'] => ({
  id, name: id, origins: [], manageUrl: () => 'https://svc.test/',
  instanceUrl: { label: 'Address', placeholder: 'https://svc.test', help: '' },
  can: { list: true, revokeOne: false, revokeOthers: false, revokeAll: false, localSignOut: false },
});

/** A connector whose two answers are given by the test, each after `ms`; it records when each call began and ended. */
function timedConnector(whoami: () => unknown, list: () => unknown, ms = 100) {
  const log: string[] = [];
  const answer = (name: string, value: () => unknown) => async () => {
    log.push(`${name} asked`);
    await sleep(ms);
    log.push(`${name} answered`);
    return value() as never;
  };
  const connector: Connector = { meta: meta('timed'), whoami: answer('whoami', whoami), listSessions: answer('list', list) };
  return { connector, log };
}

const throws = (e: unknown) => () => {
  throw e;
};

async function lookOnce(connector: Connector): Promise<AccountResult> {
  const { engine, link } = await engineWith([connector]);
  await link(connector.meta.id);
  const [status] = await engine.gather();
  return status!.result;
}

describe('a look', () => {
  it('asks who-am-I and the list at once, and marks the current session from who-am-I', async () => {
    const { connector, log } = timedConnector(
      () => ({ account: 'ada', sessionId: 's2' }),
      () => [{ id: 's1', current: false, extra: {} }, { id: 's2', current: false, extra: {} }],
      150,
    );
    const started = Date.now();
    const result = await lookOnce(connector);
    expect(log.slice(0, 2).sort()).toEqual(['list asked', 'whoami asked']);
    expect(Date.now() - started).toBeLessThan(290);
    expect(result).toMatchObject({ state: 'ok', whoami: { account: 'ada' } });
    if (result.state !== 'ok') return;
    expect(result.sessions!.map((s) => [s.id, s.current])).toEqual([['s1', false], ['s2', true]]);
  });

  it('is signed out when who-am-I says so, whatever the list answered meanwhile', async () => {
    const changed = new ConnectorError('page-changed', 'a login page');
    expect(await lookOnce(timedConnector(() => null, throws(changed)).connector)).toEqual({ state: 'signed-out' });
    expect(await lookOnce(timedConnector(() => null, throws(new TypeError('x.map'))).connector)).toEqual({ state: 'signed-out' });
    expect(await lookOnce(timedConnector(() => null, () => [{ id: 's1', current: true, extra: {} }]).connector)).toEqual({ state: 'signed-out' });
  });

  it("reports who-am-I's failure rather than the list's, and the list's when who-am-I succeeded", async () => {
    const offline = new ConnectorError('offline', 'Could not reach svc.test.');
    const signedOut = new ConnectorError('signed-out', 'Not signed in.');
    expect(await lookOnce(timedConnector(throws(offline), throws(signedOut)).connector)).toMatchObject({ state: 'error', kind: 'offline' });
    // Signed in, then the list finds the session gone: signed out, as one after the other would have it.
    expect(await lookOnce(timedConnector(() => ({ account: 'ada' }), throws(signedOut)).connector)).toEqual({ state: 'signed-out' });
    const changed = new ConnectorError('page-changed', 'no list');
    expect(await lookOnce(timedConnector(() => ({ account: 'ada' }), throws(changed)).connector)).toMatchObject({ state: 'error', kind: 'page-changed' });
    // An answer that is not a list is a changed page, never "no sessions".
    expect(await lookOnce(timedConnector(() => ({ account: 'ada' }), () => ({ items: [] })).connector)).toMatchObject({ state: 'error', kind: 'page-changed' });
  });

  it('sends a page that who-am-I and the list both read once, and each reads all of it', async () => {
    const sent: string[] = [];
    const raw: RawFetch = async (url, init) => {
      sent.push(`${init.method ?? 'GET'} ${new URL(url).pathname}`);
      await sleep(50);
      return new Response(JSON.stringify({ user: 'ada', sessions: ['s1', 's2'] }), { headers: { 'content-type': 'application/json' } });
    };
    const read = async (ctx: ConnectorContext) => (await ctx.fetch('https://svc.test/settings/sessions', { headers: { accept: 'application/json' } })).json() as Promise<{ user: string; sessions: string[] }>;
    const connector: Connector = {
      meta: meta('one-page'),
      whoami: async (ctx) => ({ account: (await read(ctx)).user }),
      listSessions: async (ctx) => (await read(ctx)).sessions.map((id) => ({ id, current: id === 's1', extra: {} })),
    };
    const { engine, link } = await engineWith([connector], (account, signal) => createConnectorContext({
      fetch: raw, account, signal, local: new FakeBrowser().local,
      selectHtml: () => Promise.reject(new Error('no HTML in this test')),
    }));
    await link('one-page');
    const [first] = await engine.gather();
    expect(first!.result).toMatchObject({ state: 'ok', whoami: { account: 'ada' }, sessions: [{ id: 's1', current: true }, { id: 's2' }] });
    expect(sent).toEqual(['GET /settings/sessions']);
    // The next look asks again: what is shared is one look's reads, not an answer kept between looks.
    await engine.gather();
    expect(sent).toEqual(['GET /settings/sessions', 'GET /settings/sessions']);
  });
});

describe('a look at many accounts', () => {
  it('writes the results that come in together in shared transactions, not one transaction each', async () => {
    const connectors = Array.from({ length: 20 }, (_, i) => timedConnector(() => ({ account: `u${i}` }), () => [], 50).connector)
      .map((c, i) => ({ ...c, meta: { ...c.meta, id: `timed-${i}` } }));
    const { engine, link } = await engineWith(connectors);
    for (let i = 0; i < 20; i++) await link(`timed-${i}`, `https://svc${i}.test`);
    const scopes: string[] = [];
    const original = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      if (args[1] === 'readwrite') scopes.push([args[0]].flat().join('+'));
      return original.apply(this, args);
    } as IDBDatabase['transaction'];
    try {
      const results = await engine.gather();
      expect(results.map((r) => r.result.state)).toEqual(Array(20).fill('ok'));
      expect(results.every((r) => r.account.lastCheck?.at === r.at)).toBe(true);
    } finally {
      IDBDatabase.prototype.transaction = original;
    }
    const writes = scopes.filter((s) => s === 'accounts+cache').length;
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThanOrEqual(5);
  });
});

describe('withSharedReads', () => {
  const account: LinkedAccountRef = { id: 'a', connectorId: 'x', origin: 'https://svc.test', settings: {} };
  function counting(fail = 0) {
    const sent: string[] = [];
    let failures = fail;
    const raw: RawFetch = async (url, init) => {
      const { pathname, search } = new URL(url);
      const accept = (init.headers as Record<string, string>).accept;
      sent.push(`${init.method} ${pathname}${search}${accept ? ` (${accept})` : ''}`);
      if (failures-- > 0) throw new TypeError('fetch failed');
      return new Response(`body of ${new URL(url).pathname}`);
    };
    const ctx = withSharedReads(createConnectorContext({
      fetch: raw, account, local: new FakeBrowser().local, selectHtml: () => Promise.reject(new Error('no HTML')),
    }));
    return { ctx, sent };
  }

  it('sends an identical GET once, at once or later, and never shares anything else', async () => {
    const { ctx, sent } = counting();
    const [a, b] = await Promise.all([ctx.fetch('https://svc.test/me'), ctx.fetch('https://svc.test/me')]);
    expect([await a.text(), await b.text()]).toEqual(['body of /me', 'body of /me']);
    await (await ctx.fetch('https://svc.test/me')).text();
    expect(sent).toEqual(['GET /me']);
    // Other headers, another address, another method, a body: each its own request.
    await ctx.fetch('https://svc.test/me', { headers: { accept: 'application/json' } });
    await ctx.fetch('https://svc.test/me?page=2');
    await ctx.fetch('https://svc.test/me', { method: 'POST', json: {} });
    await ctx.fetch('https://svc.test/me', { method: 'POST', json: {} });
    await ctx.fetch('https://svc.test/me', { form: { a: '1' } });
    expect(sent).toEqual(['GET /me', 'GET /me (application/json)', 'GET /me?page=2', 'POST /me', 'POST /me', 'POST /me']);
  });

  it('asks again after a read that failed', async () => {
    const { ctx, sent } = counting(1);
    await expect(ctx.fetch('https://svc.test/me')).rejects.toMatchObject({ kind: 'offline' });
    const asked = sent.length; // the context's own look for a redirect loop asks too
    expect(await (await ctx.fetch('https://svc.test/me')).text()).toBe('body of /me');
    expect(sent).toHaveLength(asked + 1);
  });
});

describe('a better-auth look through the engine, against the real server', () => {
  const pool = new ServerPool();
  let ba: BetterAuthCaseServer;
  beforeAll(async () => {
    ba = (await pool.get('better-auth')) as BetterAuthCaseServer;
  });
  afterAll(async () => {
    ba.native.delayPath('/get-session', 0);
    ba.native.delayPath('/list-sessions', 0);
    await pool.closeAll();
  });

  it('asks get-session once and list-sessions once, together: one 300 ms round trip, this browser marked', async () => {
    await ba.reset();
    const browser = newBrowser();
    await ba.act('sign-in', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' }, browser);
    await ba.act('sign-in-elsewhere', { userAgent: 'curl/8.5.0' }, browser);
    const sent: string[] = [];
    const counted = { ...browser, fetch: ((url, init) => {
      sent.push(new URL(url).pathname.replace(/^.*\//, ''));
      return browser.fetch(url, init);
    }) as RawFetch };
    const { engine, link } = await engineWith([betterAuthConnector], (account, signal) => contextFor(betterAuthConnector, account, counted, { signal }));
    await link('better-auth', ba.instanceUrl);
    ba.native.delayPath('/get-session', 300);
    ba.native.delayPath('/list-sessions', 300);

    const started = Date.now();
    const [status] = await engine.gather();
    const ms = Date.now() - started;
    expect(status!.result, JSON.stringify(status!.result)).toMatchObject({ state: 'ok' });
    if (status!.result.state !== 'ok') return;
    expect(status!.result.sessions).toHaveLength(2);
    expect(status!.result.sessions!.filter((s) => s.current)).toMatchObject([{ browser: expect.stringMatching(/^Chrome/) }]);
    expect(sent.sort()).toEqual(['get-session', 'list-sessions']);
    // One after the other would be 600 ms at least (900 ms before reads were shared).
    expect(ms).toBeLessThan(580);

    // Signed out (the session ended on the server): read as signed out, not as an empty list.
    const url = `${ba.native.baseURL}/revoke-sessions`;
    const ended = await fetch(url, { method: 'POST', headers: { cookie: browser.jar.cookieHeader(url), origin: ba.origin, 'content-type': 'application/json' }, body: '{}' });
    expect(ended.status).toBe(200);
    expect(await browser.jar.cookieNames(ba.origin)).toContain('better-auth.session_token');
    const [after] = await engine.gather();
    expect(after!.result).toEqual({ state: 'signed-out' });
  });
});
