import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { genericConnector } from '../../src/connectors/generic';
import {
  capabilitiesOf, ConnectorError, type Capabilities, type Connector, type SignOutProof, type ConnectorContext, type LocalState, type RevokeTarget,
} from '../../src/connectors/types';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, sessionsConnection } from '../../src/sessions/db';
import { checkSessions, createSessionEngine } from '../../src/sessions/engine';
import { SessionsError, type AccountResult, type AuditReason, type LinkedAccount } from '../../src/sessions/types';

import { ALL, FakeBrowser, FakeService, World, fakeConnector, sleep } from './sessions-world';

let dbCounter = 0;
const freshName = () => `sessions-engine-${++dbCounter}-${Math.random().toString(36).slice(2)}`;
const REASON: AuditReason = { kind: 'lost-device', text: 'phone stolen' };

async function setup(opts: { timeoutMs?: number; now?: () => number; register?: (w: World) => Connector[]; fetch?: ConnectorContext['fetch'] } = {}) {
  const world = new World();
  const connectors = [
    fakeConnector(world, 'fake'),
    fakeConnector(world, 'fake-marks', {}, { marksCurrent: true }),
    fakeConnector(world, 'fake-nolist', { list: false, revokeOne: false, revokeAll: false }),
    fakeConnector(world, 'fake-one', { revokeOthers: false, revokeAll: false }),
    fakeConnector(world, 'fake-none', { revokeOne: false, revokeOthers: false, revokeAll: false, localSignOut: false }),
    ...(opts.register?.(world) ?? []),
  ];
  const registry = new Map(connectors.map((c) => [c.meta.id, c]));
  const name = freshName();
  const db = sessionsConnection(() => openSessionsDb(name));
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const now = opts.now ?? Date.now;
  const store = createAccountStore({ db, connectorById: (id) => registry.get(id), now, newId });
  const engine = createSessionEngine({
    db,
    connectorById: (id) => registry.get(id),
    contextFor: (account: LinkedAccount, signal: AbortSignal): ConnectorContext => {
      world.signals.set(account.id, signal);
      return {
        account, signal, local: world.browser.local, now,
        fetch: opts.fetch ?? (() => Promise.reject(new Error('no network in this test'))),
        selectHtml: () => {
          throw new Error('no HTML in this test');
        },
      };
    },
    now,
    newId,
    ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }),
  });
  /** Links an account at a new fake service. */
  const link = async (connectorId = 'fake', origin = `https://svc${ids + 1}.test`, count = 3) => {
    const service = world.service(origin, count);
    const account = await store.add({ connectorId, instanceUrl: origin, label: `Account at ${origin}` });
    return { account, service };
  };
  return { world, engine, store, db, link, registry };
}

const ok = (r: AccountResult) => {
  if (r.state !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r;
};

// ---- gather -------------------------------------------------------------------------------

describe('gather', () => {
  it('looks at each account, marks the current session from whoami, and stores the result', async () => {
    const { engine, link } = await setup();
    const { account } = await link();
    const [status] = await engine.gather();
    const result = ok(status!.result);
    expect(result.whoami).toEqual({ account: 'ada@example.com', sessionId: 's1' });
    expect(result.sessions!.map((s) => [s.id, s.current])).toEqual([['s1', true], ['s2', false], ['s3', false]]);
    expect(result.sessions![0]).toMatchObject({ device: 'Device 1', extra: { note: 'x' } });
    expect(status!.account.lastCheck).toEqual({ at: status!.at, whoami: { account: 'ada@example.com' } });
    const cached = await engine.cached();
    expect(cached).toEqual([{ account: status!.account, at: status!.at, result }]);
    expect(cached[0]!.account.id).toBe(account.id);
  });

  it("keeps the connector's own current flag", async () => {
    const { engine, link } = await setup();
    await link('fake-marks');
    const [status] = await engine.gather();
    expect(ok(status!.result).sessions!.filter((s) => s.current).map((s) => s.id)).toEqual(['s1']);
  });

  it('reports a signed-out account as signed out, and a service that cannot list with sessions: null', async () => {
    const { engine, link, world } = await setup();
    const a = await link();
    const b = await link('fake-nolist');
    world.browser.jar(a.account.origin).clear();
    const results = await engine.gather();
    expect(results.map((r) => r.result)).toEqual([
      { state: 'signed-out' },
      { state: 'ok', whoami: { account: 'ada@example.com', sessionId: 's1' }, sessions: null, fetchedAt: expect.any(Number) },
    ]);
    expect(results[0]!.account.lastCheck).toMatchObject({ whoami: null });
    expect(b.service.calls.list).toBe(0);
  });

  it('keeps the sessions the person was shown across later looks and sign-outs, and refuses a malformed list', async () => {
    const { engine, link } = await setup();
    const { account } = await link();
    await engine.markSeen(account.id, ['s1']); // no cached result yet: nothing to attach it to
    expect((await engine.cached())[0]).not.toHaveProperty('seen');
    await engine.gather();
    await engine.markSeen(account.id, ['s1', 's2']);
    await engine.gather();
    expect((await engine.cached())[0]).toMatchObject({ seen: ['s1', 's2'] });
    await engine.revoke(account.id, { id: 's3' }, REASON);
    expect((await engine.cached())[0]).toMatchObject({ seen: ['s1', 's2'] });
    await expect(engine.markSeen(account.id, [1] as unknown as string[])).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('gives cached() nulls for an account never looked at, and only the asked accounts to gather(ids)', async () => {
    const { engine, link } = await setup();
    const a = await link();
    const b = await link();
    expect((await engine.cached()).map((c) => [c.account.id, c.at, c.result])).toEqual([[a.account.id, null, null], [b.account.id, null, null]]);
    const only = await engine.gather([b.account.id, 'unknown']);
    expect(only.map((s) => s.account.id)).toEqual([b.account.id]);
    expect(a.service.calls.whoami).toBe(0);
    const cached = await engine.cached();
    expect(cached[0]!.result).toBeNull();
    expect(cached[1]!.result?.state).toBe('ok');
  });

  it('looks at 20 accounts in parallel', async () => {
    const { engine, link } = await setup();
    for (let i = 0; i < 20; i++) (await link()).service.delay = 300;
    const started = Date.now();
    const results = await engine.gather();
    const elapsed = Date.now() - started;
    expect(results.map((r) => r.result.state)).toEqual(Array(20).fill('ok'));
    // Each account takes about 300 ms (whoami and list at once); one after another would be 6 s or more.
    expect(elapsed).toBeLessThan(2000);
  });

  it('gives a hanging account its own timeout, without holding up or hiding the others', async () => {
    const { engine, link, world } = await setup({ timeoutMs: 250 });
    const a = await link();
    const b = await link();
    const c = await link();
    b.service.hangs.add('whoami');
    c.service.delay = 50;
    const started = Date.now();
    const results = await engine.gather();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(results.map((r) => r.result.state)).toEqual(['ok', 'error', 'ok']);
    expect(results[1]!.result).toMatchObject({ state: 'error', kind: 'timeout' });
    expect(world.signals.get(b.account.id)!.aborted).toBe(true);
    expect(world.signals.get(a.account.id)!.aborted).toBe(false);
    expect(results[1]!.account.lastCheck).toMatchObject({ failure: { kind: 'timeout' } });
  });

  it('reports connector failures with their kind, and unexpected errors as page-changed', async () => {
    const { engine, link } = await setup();
    const a = await link();
    const b = await link();
    a.service.failNext = { op: 'whoami', error: new ConnectorError('offline', 'Could not reach svc1.test.', 'ECONNREFUSED') };
    b.service.failNext = { op: 'list', error: new TypeError("Cannot read properties of undefined (reading 'map')") };
    const [ra, rb] = await engine.gather();
    expect(ra!.result).toEqual({ state: 'error', kind: 'offline', message: 'Could not reach svc1.test.', detail: 'ECONNREFUSED' });
    expect(rb!.result).toMatchObject({ state: 'error', kind: 'page-changed', detail: expect.stringContaining('TypeError') });
  });

  it('reports an account whose connector is gone as unsupported', async () => {
    const { engine, link, registry } = await setup();
    await link('fake-none');
    registry.delete('fake-none');
    const [r] = await engine.gather();
    expect(r!.result).toMatchObject({ state: 'error', kind: 'unsupported' });
  });

  it.each<[string, 'whoamiAnswer' | 'listAnswer', unknown]>([
    ['a list that is not a list', 'listAnswer', { items: [] }],
    ['unlisted sessions counted wrongly', 'listAnswer', { sessions: [{ id: 'a', current: true }], unlisted: -1 }],
    ['a hidden list without its reason', 'listAnswer', { sessions: [{ id: 'a', current: true }], hidden: true }],
    ['a hidden list whose reason holds an object', 'listAnswer', { sessions: [{ id: 'a', current: true }], hidden: { key: 'connErr_baFresh', subs: [{ html: '<b>' }] } }],
    ['a list that is null', 'listAnswer', null],
    ['sessions without ids', 'listAnswer', [{ device: 'Phone', current: false }]],
    ['a session with an empty id', 'listAnswer', [{ id: '', current: true }]],
    ['a session that is not an object', 'listAnswer', ['s1']],
    ['the same session twice', 'listAnswer', [{ id: 'a', current: true }, { id: 'a', current: false }]],
    ['whoami answering undefined', 'whoamiAnswer', undefined],
    ['whoami answering garbage', 'whoamiAnswer', { user: 'ada' }],
    ['whoami answering a string', 'whoamiAnswer', 'ada'],
  ])('treats %s as page-changed, never as "no sessions" or "signed out"', async (_, field, value) => {
    const { engine, link } = await setup();
    const { service } = await link();
    service[field] = { value };
    const [r] = await engine.gather();
    expect(r!.result).toMatchObject({ state: 'error', kind: 'page-changed' });
  });

  it('keeps the sessions a service says exist without listing them, and confirms "others" only once it stops saying so', async () => {
    const { engine, link } = await setup();
    const { service, account } = await link();
    service.listAnswer = { value: { sessions: [{ id: 's1', current: true }], unlisted: 'some' } };
    const [r] = await engine.gather();
    expect(r!.result).toMatchObject({ state: 'ok', unlisted: 'some', sessions: [{ id: 's1' }] });
    // The service accepted the request but still says others exist: not confirmed.
    const still = await engine.revoke(account.id, 'others', REASON);
    expect(still).toMatchObject({ status: 'not-confirmed', seen: expect.stringMatching(/still says other sessions exist/) });
    service.listAnswer = { value: { sessions: [{ id: 's1', current: true }] } };
    expect(await engine.revoke(account.id, 'others', REASON)).toMatchObject({ status: 'confirmed' });
  });

  it('keeps the reason a service hides the others, and never confirms "others" while it hides them', async () => {
    const { engine, link } = await setup();
    const { service, account } = await link();
    const hidden = { key: 'connErr_baFresh', subs: ['app.test'] };
    service.listAnswer = { value: { sessions: [{ id: 's1', current: true }], hidden } };
    const [r] = await engine.gather();
    expect(r!.result).toMatchObject({ state: 'ok', hidden, sessions: [{ id: 's1' }] });
    const outcome = await engine.revoke(account.id, 'others', REASON);
    expect(outcome).toMatchObject({ status: 'not-confirmed', seen: expect.stringMatching(/does not show your other sessions now, so Revoke could not check/) });
    // One other session, gone from a list that hides the others: proves nothing either.
    service.listAnswer = { value: { sessions: [{ id: 's1', current: true }], hidden } };
    expect(await engine.revoke(account.id, { id: 's2' }, REASON)).toMatchObject({ status: 'not-confirmed', seen: expect.stringMatching(/could not check/) });
    service.listAnswer = { value: { sessions: [{ id: 's1', current: true }] } };
    expect(await engine.revoke(account.id, 'others', REASON)).toMatchObject({ status: 'confirmed' });
  });

  it('keeps only well-typed session fields', () => {
    const [s] = checkSessions([{
      id: 'x', current: 'yes', device: 42, browser: 'Firefox', createdAt: Number.NaN, lastActiveAt: 5,
      extra: { a: 'b', n: 1, long: 'y'.repeat(5000) }, token: 'secret',
    }]);
    expect(s).toEqual({ id: 'x', current: false, browser: 'Firefox', lastActiveAt: 5, extra: { a: 'b', long: 'y'.repeat(1000) } });
  });
});

// ---- revoke ---------------------------------------------------------------------------------

describe('revoke', () => {
  it('ends one session, confirms it is no longer listed, and records why', async () => {
    const { engine, link } = await setup();
    const { account, service } = await link();
    await engine.gather();
    const outcome = await engine.revoke(account.id, { id: 's2' }, REASON);
    expect(outcome).toEqual({ status: 'confirmed', seen: 'Revoke listed the sessions again and it is gone.' });
    expect([...service.sessions.keys()]).toEqual(['s1', 's3']);
    const [record] = await engine.audit.list({ limit: 10 });
    expect(record).toEqual({
      id: expect.any(String), at: expect.any(Number), accountId: account.id, accountLabel: account.label,
      accountName: `ada@example.com on ${new URL(account.origin).host}`, // who the look before it found
      connectorId: 'fake', origin: account.origin, action: 'revoke-one', reason: REASON, outcome,
      session: { current: false, device: 'Device 2' },
    });
    // The check's listing is the freshest: the popup paints it next time.
    const [cached] = await engine.cached();
    expect(ok(cached!.result!).sessions!.map((s) => s.id)).toEqual(['s1', 's3']);
  });

  it('does not confirm what a lying service did not do', async () => {
    const { engine, link } = await setup();
    const { account, service } = await link();
    service.lies = true;
    const one = await engine.revoke(account.id, { id: 's2' }, REASON);
    expect(one).toEqual({ status: 'not-confirmed', seen: 'The session is still listed after the service accepted the request.' });
    const others = await engine.revoke(account.id, 'others', REASON);
    expect(others).toEqual({ status: 'not-confirmed', seen: '2 other sessions still listed after the service accepted the request.' });
    const all = await engine.revoke(account.id, 'all', REASON);
    expect(all).toEqual({ status: 'not-confirmed', seen: 'Still signed in here as ada@example.com after the service accepted the request to end all sessions.' });
    // Nothing cleared locally when the server side was not confirmed: the session must stay reachable to be ended later.
    expect(service.browser.clears).toEqual([]);
    const records = await engine.audit.list({ limit: 10 });
    expect(records.map((r) => [r.action, r.outcome.status])).toEqual([
      ['revoke-all', 'not-confirmed'], ['revoke-others', 'not-confirmed'], ['revoke-one', 'not-confirmed'],
    ]);
  });

  it('reports a refused request as failed, with its kind, and records it', async () => {
    const { engine, link } = await setup();
    const { account, service } = await link();
    service.failNext = { op: 'revoke', error: new ConnectorError('forbidden', 'The service refused (403).', 'INVALID_ORIGIN') };
    const outcome = await engine.revoke(account.id, { id: 's2' }, REASON);
    expect(outcome).toEqual({ status: 'failed', kind: 'forbidden', message: 'The service refused (403).', detail: 'INVALID_ORIGIN' });
    expect(service.calls.list).toBe(0);
    expect((await engine.audit.list({ limit: 1 }))[0]!.outcome).toEqual(outcome);
  });

  it('says what could not be checked when the check itself fails', async () => {
    const { engine, link } = await setup();
    const { account, service } = await link();
    service.failNext = { op: 'list', error: new ConnectorError('offline', 'Could not reach the service.') };
    const outcome = await engine.revoke(account.id, { id: 's2' }, REASON);
    expect(outcome).toEqual({
      status: 'not-confirmed',
      seen: 'The service accepted the request, but Revoke could not check the list of sessions: Could not reach the service.',
    });
    expect(service.sessions.has('s2')).toBe(false); // it did happen; Revoke just cannot say so
  });

  it("confirms ending this browser's own session by being signed out afterwards", async () => {
    const { engine, link } = await setup();
    const { account, service } = await link();
    await engine.gather();
    const outcome = await engine.revoke(account.id, { id: 's1' }, REASON);
    expect(outcome.status).toBe('confirmed');
    expect(service.sessions.has('s1')).toBe(false);
    expect((await engine.audit.list({ limit: 1 }))[0]!.session).toMatchObject({ current: true });
  });

  it('does not take "signed out" as proof for a session that was not known to be this browser\'s', async () => {
    const { engine, link, world } = await setup();
    const { account, service } = await link('fake', 'https://solo.test', 1);
    // A service whose revoke of s9 also signs this browser out (no cached listing says s9 was current).
    service.sessions.set('s9', { id: 's9', device: 'x' });
    const original = service.run.bind(service);
    service.run = (op, body) => original(op, () => {
      const value = body();
      if (op === 'revoke') world.browser.jar(account.origin).clear();
      return value;
    });
    const outcome = await engine.revoke(account.id, { id: 's9' }, REASON);
    expect(outcome).toEqual({ status: 'not-confirmed', seen: 'This browser was signed out too, so Revoke could not list the remaining sessions.' });
  });

  it('ends the other sessions and checks that only this browser\'s is left', async () => {
    const { engine, link } = await setup();
    const { account, service } = await link();
    expect(await engine.revoke(account.id, 'others', { kind: 'unrecognised' })).toEqual({ status: 'confirmed', seen: "Revoke listed the sessions again and only this browser's is left." });
    expect([...service.sessions.keys()]).toEqual(['s1']);
  });

  it('ends the other sessions one by one where the service can only end one', async () => {
    const { engine, link } = await setup();
    const { account, service } = await link('fake-one');
    expect((await engine.revoke(account.id, 'others', REASON)).status).toBe('confirmed');
    expect(service.revokes).toEqual([{ id: 's2' }, { id: 's3' }]);
    expect([...service.sessions.keys()]).toEqual(['s1']);
  });

  it('does not confirm "others" on a service that cannot list sessions', async () => {
    const { engine, link } = await setup();
    const { account, service } = await link('fake-nolist');
    const outcome = await engine.revoke(account.id, 'others', REASON);
    expect(outcome).toEqual({
      status: 'not-confirmed',
      seen: 'The service accepted the request, but it does not list sessions, so Revoke could not check that they ended.',
    });
    expect(service.sessions.size).toBe(1);
  });

  it('where the service can end no other session (Google, Microsoft), a confirmed "all" says only this browser was signed out', async () => {
    const { engine, link } = await setup({ register: (w) => [fakeConnector(w, 'fake-here', { list: false, revokeOne: false, revokeOthers: false })] });
    const { account } = await link('fake-here');
    const outcome = await engine.revoke(account.id, 'all', REASON);
    expect(outcome).toEqual({
      status: 'confirmed',
      seen: `Signed out here after the service accepted this browser’s sign-out; other devices were not touched. This browser holds no cookies for ${account.origin} any more.`,
    });
  });

  it('ends all sessions, then clears this browser and checks no cookie is left', async () => {
    const { engine, link, world } = await setup();
    const { account, service } = await link();
    const outcome = await engine.revoke(account.id, 'all', { kind: 'rule', rule: 'password changed' });
    expect(outcome).toEqual({
      status: 'confirmed',
      seen: `Signed out here after the service accepted the request to end all sessions. This browser holds no cookies for ${account.origin} any more.`,
    });
    expect(service.sessions.size).toBe(0);
    expect(world.browser.clears).toEqual([account.origin]);
    const [record] = await engine.audit.list({ limit: 1 });
    expect(record).toMatchObject({ action: 'revoke-all', reason: { kind: 'rule', rule: 'password changed' }, outcome });
    expect(record!.session).toBeUndefined();
  });

  it('does not confirm "all" while a cookie is left in this browser', async () => {
    const { engine, link, world } = await setup();
    const { account } = await link();
    world.browser.stubborn.add(account.origin);
    const outcome = await engine.revoke(account.id, 'all', REASON);
    expect(outcome.status).toBe('not-confirmed');
    expect(outcome.status === 'not-confirmed' && outcome.seen).toContain('__Host-stubborn');
  });

  it('fails "all" for an account already signed out, without sending anything', async () => {
    const { engine, link, world } = await setup();
    const { account, service } = await link();
    world.browser.jar(account.origin).clear();
    const outcome = await engine.revoke(account.id, 'all', REASON);
    expect(outcome).toMatchObject({ status: 'failed', kind: 'signed-out' });
    expect(service.calls.revoke).toBe(0);
    expect(service.sessions.size).toBe(3); // the other devices are still signed in: nothing may claim otherwise
  });

  it('refuses what the connector cannot do, as a recorded failure', async () => {
    const { engine, link } = await setup();
    const { account } = await link('fake-none');
    expect(await engine.revoke(account.id, 'others', REASON)).toMatchObject({ status: 'failed', kind: 'unsupported', message: 'This service does not let Revoke end the other sessions.' });
    expect(await engine.revoke(account.id, { id: 's1' }, REASON)).toMatchObject({ status: 'failed', kind: 'unsupported', message: 'This service does not let Revoke end a single session.' });
    expect(await engine.audit.list({ limit: 10 })).toHaveLength(2);
  });

  it('times out a revoke that never answers', async () => {
    const { engine, link } = await setup({ timeoutMs: 200 });
    const { account, service } = await link();
    service.hangs.add('revoke');
    expect(await engine.revoke(account.id, 'others', REASON)).toMatchObject({ status: 'failed', kind: 'timeout' });
  });

  it('gives a connector that declares a longer revoke (revokeTimeoutMs) that long, and no other call', async () => {
    const slow = (w: World, id: string, revokeTimeoutMs?: number): Connector => {
      const base = fakeConnector(w, id);
      return { ...base, ...(revokeTimeoutMs ? { revokeTimeoutMs } : {}), revoke: async (ctx, target) => (await sleep(400), base.revoke!(ctx, target)) };
    };
    const { engine, link } = await setup({ timeoutMs: 200, register: (w) => [slow(w, 'fake-slow', 2_000), slow(w, 'fake-slow-undeclared')] });
    const declared = await link('fake-slow');
    expect(await engine.revoke(declared.account.id, 'others', REASON)).toMatchObject({ status: 'confirmed' });
    const undeclared = await link('fake-slow-undeclared');
    expect(await engine.revoke(undeclared.account.id, 'others', REASON)).toMatchObject({ status: 'failed', kind: 'timeout' });
  });

  it('refuses unknown accounts, targets and reasons before doing anything', async () => {
    const { engine, link } = await setup();
    const { account, service } = await link();
    const code = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof SessionsError ? e.code : String(e)));
    expect(await code(engine.revoke('missing', 'all', REASON))).toBe('not-found');
    expect(await code(engine.revoke(account.id, 'everything' as never, REASON))).toBe('invalid-input');
    expect(await code(engine.revoke(account.id, { id: '' }, REASON))).toBe('invalid-input');
    expect(await code(engine.revoke(account.id, 'all', { kind: 'because' } as never))).toBe('invalid-input');
    expect(await code(engine.revoke(account.id, 'all', null as never))).toBe('invalid-input');
    // "Other" without words: the popup refuses it, and so does the background for any sender.
    expect(await code(engine.revoke(account.id, 'all', { kind: 'other' }))).toBe('invalid-input');
    expect(await code(engine.revoke(account.id, 'all', { kind: 'other', text: '   ' }))).toBe('invalid-input');
    expect(await code(engine.localSignOut(account.id, { kind: 'other' }))).toBe('invalid-input');
    expect(await code(engine.signOutEverywhere({ kind: 'other', text: '' }))).toBe('invalid-input');
    expect(await code(engine.localSignOut('missing', REASON))).toBe('not-found');
    expect(service.calls).toEqual({ whoami: 0, list: 0, revoke: 0 });
    expect(await engine.audit.list({ limit: 10 })).toEqual([]);
  });
});

// ---- local sign-out --------------------------------------------------------------------------

/** A site's pages by path, as the context's fetch answers them (404 elsewhere). */
function pagesFetch(origin: string, pages: Record<string, string>): ConnectorContext['fetch'] {
  return async (url) => {
    const target = new URL(url, origin);
    const html = pages[target.pathname];
    return {
      status: html === undefined ? 404 : 200, url: target.href, redirected: false,
      headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'text/html' : null) },
      text: async () => html ?? '',
      json: async () => JSON.parse(html ?? ''),
    };
  };
}

describe('"Any site" with no sign-out on its pages', () => {
  async function genericSetup() {
    const base = await setup({
      register: () => [genericConnector],
      fetch: pagesFetch('https://shop.example.test', { '/': '<a href="/settings">Settings</a><button type="button">Log out</button>', '/settings': '<p>Theme</p>' }),
    });
    const account = await base.store.add({ connectorId: 'generic', instanceUrl: 'https://shop.example.test', label: 'Shop' });
    base.world.browser.jar(account.origin).set('sid', 's1');
    return { ...base, account };
  }

  it('signs this browser out only, says where Revoke looked, never "the service accepted"', async () => {
    const { engine, account, world } = await genericSetup();
    const outcome = await engine.revoke(account.id, 'all', REASON);
    expect(outcome.status).toBe('not-confirmed');
    const seen = outcome.status !== 'failed' ? outcome.seen : '';
    expect(seen).toMatch(/This browser only: Revoke found no sign-out on shop\.example\.test's pages \(it looked at “\/”, “\/settings”\)/);
    expect(seen).toMatch(/works only through its own script/);
    expect(seen).toMatch(/shop\.example\.test itself was not asked to end the session/);
    expect(JSON.stringify(outcome)).not.toMatch(/accepted/);
    expect([...world.browser.jar(account.origin).keys()]).toEqual([]);
    expect((await engine.audit.list({ limit: 1 }))[0]).toMatchObject({ action: 'local-sign-out', outcome });
  });

  it('sign out everywhere takes the same path: the server step says where it looked, then this browser is cleared', async () => {
    const { engine, account } = await genericSetup();
    const summary = await engine.signOutEverywhere(REASON);
    expect(summary.perAccount).toEqual([expect.objectContaining({
      accountId: account.id,
      server: expect.objectContaining({ status: 'failed', kind: 'unsupported', message: expect.stringMatching(/looked at “\/”, “\/settings”/) }),
      local: expect.objectContaining({ status: 'confirmed' }),
    })]);
  });

  it('offers ending the session on the server for every account: the sign-out is looked for when asked', () => {
    const ref = { id: 'a', connectorId: 'generic', origin: 'https://shop.example.test', settings: {} };
    expect(capabilitiesOf(genericConnector, ref)).toMatchObject({ revokeAll: true, revokeOne: true, localSignOut: true });
  });
});

describe('a connector that proves its own sign-out', () => {
  function proving(proof: unknown): (w: World) => Connector[] {
    return (w) => [{
      ...fakeConnector(w, 'proves'),
      whoami: async (ctx) => ((await ctx.local.cookieNames(ctx.account.origin)).length > 0 ? { account: 'site', sessionId: 'this' } : null),
      revoke: async (ctx) => {
        await ctx.local.clear(ctx.account.origin);
        return proof as SignOutProof;
      },
    }];
  }
  async function run(proof: unknown) {
    const base = await setup({ register: proving(proof) });
    const account = await base.store.add({ connectorId: 'proves', instanceUrl: 'https://site.example.test', label: 'Site' });
    base.world.browser.jar(account.origin).set('sid', 's1');
    return { ...base, account, outcome: await base.engine.revoke(account.id, 'all', REASON) };
  }

  it('is confirmed only when the proof says the site refused the old login, and remembers what worked', async () => {
    const { outcome, store, account } = await run({ oldLoginRefused: true, seen: 'Refused.', learned: { learnedSignOut: '{"how":"link"}' } });
    expect(outcome).toMatchObject({ status: 'confirmed', seen: expect.stringMatching(/^Refused\. This browser holds no cookies/) });
    expect((await store.list()).find((a) => a.id === account.id)!.settings).toEqual({ learnedSignOut: '{"how":"link"}' });
  });

  it('is not confirmed when the site still accepted it, or when nothing was checked, and learns nothing then', async () => {
    expect((await run({ oldLoginRefused: false, seen: 'Still accepted.' })).outcome).toEqual({ status: 'not-confirmed', seen: 'Still accepted.' });
    expect((await run({ oldLoginRefused: null, seen: 'Not checked.' })).outcome).toEqual({ status: 'not-confirmed', seen: 'Not checked.' });
  });

  it('a malformed proof proves nothing (never the who-am-I "signed out" a cleared cookie gives)', async () => {
    expect((await run({ oldLoginRefused: 'yes', seen: 'Trust me.' })).outcome).toMatchObject({ status: 'not-confirmed' });
  });
});

describe('localSignOut', () => {
  it('clears this browser for the origin and confirms no cookie is left', async () => {
    const { engine, link, world } = await setup();
    const { account } = await link();
    await engine.gather();
    const outcome = await engine.localSignOut(account.id, { kind: 'shared-computer' });
    expect(outcome).toEqual({ status: 'confirmed', seen: `This browser holds no cookies for ${account.origin} any more.` });
    expect(world.browser.clears).toEqual([account.origin]);
    expect((await engine.cached())[0]!.result).toEqual({ state: 'signed-out' }); // no login cookie left: signed out here
    expect((await engine.audit.list({ limit: 1 }))[0]).toMatchObject({ action: 'local-sign-out', outcome, reason: { kind: 'shared-computer' } });
  });

  it('keeps the sessions the person was last shown, so a sign-in after the sign-out is still new', async () => {
    const { engine, link } = await setup();
    const { account, service } = await link();
    await engine.gather();
    const shown = (await engine.cached())[0]!;
    const ids = shown.result?.state === 'ok' ? shown.result.sessions!.map((s) => s.id) : [];
    expect(ids.length).toBeGreaterThan(0);
    await engine.markSeen(account.id, ids);
    await engine.localSignOut(account.id, REASON);
    const after = (await engine.cached())[0]!;
    expect(after.result).toEqual({ state: 'signed-out' });
    expect('seen' in after && after.seen).toEqual(ids);
    // Named as the last check that found someone signed in named it, not by the service's label.
    await engine.gather();
    const named = (await engine.cached())[0]!.account;
    expect(named.lastCheck).toMatchObject({ whoami: null });
    expect(named.knownAs).toBe(shown.result?.state === 'ok' ? shown.result.whoami.account : 'signed in at first');
    expect(service.sessions.size).toBeGreaterThan(0);
  });

  it('names the cookies left behind, and reports a clear that fails', async () => {
    const { engine, link, world } = await setup();
    const a = await link();
    const b = await link();
    world.browser.stubborn.add(a.account.origin);
    world.browser.broken.add(b.account.origin);
    expect(await engine.localSignOut(a.account.id, REASON)).toEqual({
      status: 'not-confirmed', seen: `This browser still holds 1 cookie for ${a.account.origin}: __Host-stubborn.`,
    });
    expect(await engine.localSignOut(b.account.id, REASON)).toMatchObject({ status: 'failed', kind: 'permission' });
  });
});

describe('shared parent-domain cookies', () => {
  const SHARED = [{ domain: 'example.test', names: ['sso'] }];

  it('a local sign-out names the shared cookies its clear removed, in the outcome and the audit log', async () => {
    const { engine, link, world } = await setup();
    const { account } = await link('fake', 'https://app.example.test');
    world.browser.shared.set(account.origin, SHARED);
    const outcome = await engine.localSignOut(account.id, REASON);
    expect(outcome).toMatchObject({ status: 'confirmed', sharedCookies: SHARED });
    expect((await engine.audit.list({ limit: 1 }))[0]!.outcome).toEqual(outcome);
  });

  it('keeps what a connector’s own clear removed, though the engine’s clear afterwards finds nothing shared', async () => {
    // Like the generic connector: signing out is clearing this browser.
    const { engine, link, world } = await setup({
      register: (w) => {
        const base = fakeConnector(w, 'clears');
        return [{
          ...base,
          revoke: async (ctx, target) => {
            await ctx.local.clear(ctx.account.origin);
            w.browser.shared.delete(ctx.account.origin); // the shared cookies are gone now
            await base.revoke!(ctx, target);
          },
        }];
      },
    });
    const { account, service } = await link('clears', 'https://app.example.test');
    world.browser.shared.set(account.origin, SHARED);
    service.browser.jar(account.origin).set('sid', 's1');
    // The clear signed this browser out, so the connector's revoke found no session: still, the clear happened.
    const outcome = await engine.revoke(account.id, 'all', REASON);
    expect(outcome.sharedCookies).toEqual(SHARED);
    expect((await engine.audit.list({ limit: 1 }))[0]!.outcome.sharedCookies).toEqual(SHARED);
  });

  it('says nothing when nothing shared was removed', async () => {
    const { engine, link } = await setup();
    const { account } = await link();
    expect(await engine.localSignOut(account.id, REASON)).not.toHaveProperty('sharedCookies');
  });
});

// ---- audit --------------------------------------------------------------------------------------

describe('audit.list', () => {
  it('pages newest first, by time or by cursor, for all accounts or one', async () => {
    let clock = 1000;
    const { engine, link } = await setup({ now: () => clock });
    const a = await link();
    const b = await link();
    // Three records share one millisecond: paging by cursor must neither skip nor repeat them.
    for (const [t, acct] of [[1000, a], [2000, b], [2000, a], [2000, b], [3000, a]] as const) {
      clock = t;
      await engine.localSignOut(acct.account.id, REASON);
    }
    const all = await engine.audit.list({ limit: 100 });
    expect(all.map((r) => r.at)).toEqual([3000, 2000, 2000, 2000, 1000]);
    const page1 = await engine.audit.list({ limit: 2 });
    const page2 = await engine.audit.list({ limit: 2, before: { at: page1[1]!.at, id: page1[1]!.id } });
    const page3 = await engine.audit.list({ limit: 2, before: { at: page2[1]!.at, id: page2[1]!.id } });
    expect([...page1, ...page2, ...page3].map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect((await engine.audit.list({ limit: 10, before: 2000 })).map((r) => r.at)).toEqual([1000]);
    const onlyA = await engine.audit.list({ limit: 10, accountId: a.account.id });
    expect(onlyA.map((r) => r.at)).toEqual([3000, 2000, 1000]);
    expect(onlyA.every((r) => r.accountId === a.account.id)).toBe(true);
    const aOlder = await engine.audit.list({ limit: 10, accountId: a.account.id, before: { at: onlyA[0]!.at, id: onlyA[0]!.id } });
    expect(aOlder.map((r) => r.at)).toEqual([2000, 1000]);
    expect(await engine.audit.list({ limit: 10, accountId: a.account.id, before: 1000 })).toEqual([]);
    expect(await engine.audit.list({ limit: 0 })).toEqual([]);
  });
});
