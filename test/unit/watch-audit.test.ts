/**
 * The scheduled audit end to end in Node: a real sessions database (fake-indexeddb), an engine
 * stand-in that lists what the test says and records every sign-out asked of it, a fixed clock.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { Capabilities, RevokeTarget, Session } from '../../src/connectors/types';
import { say } from '../../src/i18n/t';
import { openSessionsDb, readAccountsWithCache, sessionsConnection, toCachedStatus, SESSIONS_DB_VERSION } from '../../src/sessions/db';
import { createWatch, type WatchNotice } from '../../src/sessions/watch-audit';
import { readWatch, updateWatch } from '../../src/sessions/watch-store';
import type { AccountResult, AuditReason, CachedStatus, LinkedAccount, RevokeOutcome } from '../../src/sessions/types';
import { DEFAULT_RULES } from '../../src/sessions/rules';
import { createWatchHandlers } from '../../src/background/watch-handlers';

const DAY = 86_400_000;
let n = 0;
const freshName = () => `watch-audit-${++n}-${Math.random().toString(36).slice(2)}`;
const s = (id: string, fields: Partial<Session> = {}): Session => ({ id, current: false, extra: {}, ...fields });
const laptop = { device: 'Computer', os: 'Linux', browser: 'Firefox 128', ip: '203.0.113.7' };
const stranger = { device: 'Computer', os: 'Windows', browser: 'Edge 126', ip: '198.51.100.1', location: 'Lisbon' };
const can: Capabilities = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };

async function world() {
  const name = freshName();
  const db = sessionsConnection(() => openSessionsDb(name));
  const account: LinkedAccount = { id: 'a1', connectorId: 'better-auth', origin: 'https://app.example', settings: {}, label: 'App', linkedAt: 1 };
  await (await db()).put('accounts', account);
  let clock = Date.UTC(2026, 10, 1);
  let listed: AccountResult = { state: 'ok', sessions: [], fetchedAt: 0, whoami: { account: 'me' } };
  const revokes: { target: RevokeTarget; reason: AuditReason }[] = [];
  let revokeFails: Error | null = null;
  const localSignOuts: AuditReason[] = [];
  const told: WatchNotice[] = [];
  const confirmed: RevokeOutcome = { status: 'confirmed', seen: 'Gone.' };
  const engine = {
    gather: async () => [{ account, at: clock, result: listed }],
    cached: async (): Promise<CachedStatus[]> => [{ account, at: clock, result: listed }],
    revoke: async (_id: string, target: RevokeTarget, reason: AuditReason) => {
      if (revokeFails) throw revokeFails;
      revokes.push({ target, reason });
      if (listed.state === 'ok' && typeof target === 'object') listed = { ...listed, sessions: listed.sessions!.filter((x) => x.id !== target.id) };
      return confirmed;
    },
    localSignOut: async (_id: string, reason: AuditReason) => {
      localSignOuts.push(reason);
      return confirmed;
    },
  };
  let key = 0;
  const watch = createWatch({
    engine, db, can: () => can, words: say, tell: async (x) => void told.push(x), now: () => clock, newKey: () => `k${++key}`,
  });
  return {
    watch, db, account, revokes, localSignOuts, told, name,
    list: (...sessions: Session[]) => { listed = { state: 'ok', sessions, fetchedAt: clock, whoami: { account: 'me' } }; },
    fail: (r: AccountResult) => { listed = r; },
    revokeThrows: (e: Error) => { revokeFails = e; },
    later: (ms: number) => { clock += ms; },
    now: () => clock,
  };
}

/** The background's watch handlers ("Audit now") over the world's watch. */
function watchHandlers(w: Awaited<ReturnType<typeof world>>) {
  return createWatchHandlers({
    watch: w.watch, db: w.db, can: () => can,
    schedule: { everyHours: async () => 6 } as Parameters<typeof createWatchHandlers>[0]['schedule'],
    accounts: { list: async () => [w.account], get: async (id: string) => (id === w.account.id ? w.account : undefined) },
  });
}

describe('the scheduled audit', () => {
  it('learns on the first run, tells a new sign-in once, and the popup sees it unrecognised', async () => {
    const w = await world();
    w.list(s('mine', { ...laptop, current: true }));
    expect((await w.watch.run())[0]).toMatchObject({ newSignIns: [], acted: [] });
    expect(w.told).toEqual([]);

    w.later(6 * 3_600_000);
    w.list(s('mine', { ...laptop, current: true }), s('x', stranger));
    await w.watch.run();
    expect(w.told).toEqual([{ kind: 'new-sign-in', key: 'k1', account: w.account, session: s('x', stranger) }]);
    await w.watch.run();
    expect(w.told).toHaveLength(1);
    expect(w.revokes).toEqual([]); // only told: no rule says to end it

    // The cached overview the popup reads marks it, from the same memory.
    await (await w.db()).put('cache', { accountId: 'a1', at: w.now(), result: { state: 'ok', sessions: [s('mine', { ...laptop, current: true }), s('x', stranger)], fetchedAt: 0, whoami: { account: 'me' } } });
    const [row] = (await readAccountsWithCache(await w.db())).map(toCachedStatus);
    expect(row).toMatchObject({ unrecognised: ['x'] });
  });

  it('“That was me” remembers the device and place; “End it” ends the session through the engine as unrecognised', async () => {
    const w = await world();
    w.list(s('mine', { ...laptop, current: true }));
    await w.watch.run();
    w.list(s('mine', { ...laptop, current: true }), s('x', stranger), s('y', { ...stranger, ip: '192.0.2.9', location: 'Porto' }));
    await w.watch.run();
    expect(w.told.map((t) => t.kind === 'new-sign-in' && t.key)).toEqual(['k1', 'k2']);

    expect(await w.watch.thatWasMe('a1', 'k1')).toBe(true);
    expect(await w.watch.thatWasMe('a1', 'k1')).toBe(false); // the alert is gone
    const memory = (await readWatch(await w.db(), 'a1')).memory;
    expect(memory.sessions).toContain('x');

    const ended = await w.watch.endIt('a1', 'k2', 'From the notification');
    expect(ended?.outcome.status).toBe('confirmed');
    expect(w.revokes).toEqual([{ target: { id: 'y' }, reason: { kind: 'unrecognised', text: 'From the notification' } }]);
    expect(await w.watch.endIt('a1', 'k2', 'again')).toBeNull();
  });

  it('ends an unrecognised sign-in by rule, audited with the rule, and tells that instead', async () => {
    const w = await world();
    await updateWatch(await w.db(), 'a1', (r) => ({ ...r, rules: { ...DEFAULT_RULES, unrecognised: 'end' } }));
    w.list(s('mine', { ...laptop, current: true }));
    await w.watch.run();
    w.list(s('mine', { ...laptop, current: true }), s('x', stranger));
    const [audit] = await w.watch.run();
    expect(audit!.acted).toEqual([{ kind: 'end', rule: 'unrecognised', status: 'confirmed' }]);
    expect(w.revokes).toEqual([{ target: { id: 'x' }, reason: { kind: 'rule', rule: 'New sign-in from an unrecognised device or place' } }]);
    expect(w.told.map((t) => t.kind)).toEqual(['rule-acted']);
    expect((await readWatch(await w.db(), 'a1')).alerts).toEqual([]);
  });

  it('ends a stale session and not a fresh one; never this browser’s', async () => {
    const w = await world();
    await updateWatch(await w.db(), 'a1', (r) => ({ ...r, rules: { ...DEFAULT_RULES, inactiveDays: 30 } }));
    w.list(
      s('mine', { ...laptop, current: true, lastActiveAt: w.now() - 60 * DAY }),
      s('old', { ...laptop, lastActiveAt: w.now() - 31 * DAY }),
      s('fresh', { ...laptop, lastActiveAt: w.now() - DAY }),
    );
    await w.watch.run();
    expect(w.revokes).toEqual([{ target: { id: 'old' }, reason: { kind: 'rule', rule: 'Inactive for more than 30 days' } }]);
  });

  it('signs this browser out on start: its own session where the service ends it, else its cookies', async () => {
    const w = await world();
    await updateWatch(await w.db(), 'a1', (r) => ({ ...r, rules: { ...DEFAULT_RULES, signOutOnStart: true } }));
    w.list(s('mine', { ...laptop, current: true }));
    await w.watch.run('schedule');
    expect(w.revokes).toEqual([]);
    await w.watch.run('startup');
    expect(w.revokes).toEqual([{ target: { id: 'mine' }, reason: { kind: 'rule', rule: 'Sign this browser out when it starts' } }]);
    w.list(); // a service that lists nothing of this browser's
    w.fail({ state: 'ok', sessions: null, fetchedAt: 0, whoami: { account: 'me' } });
    await w.watch.run('startup');
    expect(w.localSignOuts).toEqual([{ kind: 'rule', rule: 'Sign this browser out when it starts' }]);
  });

  it('tells an account it cannot audit once, keeps it shown, and is quiet again until a new failure', async () => {
    const w = await world();
    w.list(s('mine', { ...laptop, current: true }));
    await w.watch.run();
    w.fail({ state: 'error', kind: 'page-changed', message: 'The page changed.' });
    await w.watch.run();
    await w.watch.run();
    expect(w.told.map((t) => t.kind)).toEqual(['problem']);
    expect((await readWatch(await w.db(), 'a1')).memory.problem).toMatchObject({ kind: 'page-changed' });
    w.list(s('mine', { ...laptop, current: true }));
    await w.watch.run();
    expect((await readWatch(await w.db(), 'a1')).memory.problem).toBeUndefined();
    w.fail({ state: 'signed-out' });
    await w.watch.run();
    expect(w.told.map((t) => t.kind)).toEqual(['problem', 'problem']);
  });

  it('after its own rule signed this browser out, finds it signed out without telling a problem, until it is signed in again', async () => {
    const w = await world();
    await updateWatch(await w.db(), 'a1', (r) => ({ ...r, rules: { ...DEFAULT_RULES, signOutAfterHours: 8 } }));
    w.list(s('mine', { ...laptop, current: true, createdAt: w.now() - DAY }));
    await w.watch.run();
    expect(w.revokes).toEqual([{ target: { id: 'mine' }, reason: { kind: 'rule', rule: 'This browser’s session older than 8 hours' } }]);
    expect((await readWatch(await w.db(), 'a1')).memory.problem).toMatchObject({ kind: 'signed-out', byRule: true });
    w.fail({ state: 'signed-out' });
    await w.watch.run();
    await w.watch.run();
    expect(w.told.map((t) => t.kind)).toEqual(['rule-acted']);
    w.list(s('again', { ...laptop, current: true, createdAt: w.now() }));
    await w.watch.run();
    expect((await readWatch(await w.db(), 'a1')).memory.problem).toBeUndefined();
    // Signed out later by something else: told, as before.
    w.fail({ state: 'signed-out' });
    await w.watch.run();
    expect(w.told.map((t) => t.kind)).toEqual(['rule-acted', 'problem']);
  });

  it('where the service hides the others (better-auth past a day): says it could not look, once, and still applies the rule on this browser’s age', async () => {
    const w = await world();
    const handlers = watchHandlers(w);
    w.list(s('mine', { ...laptop, current: true }), s('phone', stranger));
    await w.watch.run();
    const hidden = { key: 'connErr_baFresh' as const, subs: ['app.example'] };
    w.later(2 * DAY);
    w.fail({ state: 'ok', sessions: [s('mine', { ...laptop, current: true, createdAt: w.now() - 2 * DAY })], hidden, fetchedAt: w.now(), whoami: { account: 'me' } });
    expect((await handlers['watch/run'](null)).audited).toEqual([{ accountId: 'a1', newSignIns: 0, ruleActions: 0, failure: { kind: 'reauth', message: '', hidden } }]);
    await w.watch.run();
    expect(w.told.map((t) => t.kind)).toEqual(['problem']);
    // Kept in the watch store with its reason, for the Watch section to say in the page's language.
    expect((await readWatch(await w.db(), 'a1')).memory.problem).toMatchObject({ kind: 'reauth', hidden });
    await updateWatch(await w.db(), 'a1', (r) => ({ ...r, rules: { ...DEFAULT_RULES, signOutAfterHours: 8 } }));
    await w.watch.run();
    expect(w.revokes).toEqual([{ target: { id: 'mine' }, reason: { kind: 'rule', rule: 'This browser’s session older than 8 hours' } }]);
  });

  it('where a rule signs this browser out in the audit that found the others hidden: tells the rule, not that it could not look', async () => {
    const w = await world();
    const handlers = watchHandlers(w);
    await updateWatch(await w.db(), 'a1', (r) => ({ ...r, rules: { ...DEFAULT_RULES, signOutAfterHours: 8 } }));
    const hidden = { key: 'connErr_baFresh' as const, subs: ['app.example'] };
    w.fail({ state: 'ok', sessions: [s('mine', { ...laptop, current: true, createdAt: w.now() - 2 * DAY })], hidden, fetchedAt: w.now(), whoami: { account: 'me' } });
    expect((await handlers['watch/run'](null)).audited).toEqual([{ accountId: 'a1', newSignIns: 0, ruleActions: 1 }]);
    expect(w.told.map((t) => t.kind)).toEqual(['rule-acted']);
    // Found signed out afterwards, as its rule left it: nothing to report either.
    w.fail({ state: 'signed-out' });
    expect((await handlers['watch/run'](null)).audited).toEqual([{ accountId: 'a1', newSignIns: 0, ruleActions: 0 }]);
    expect(w.told.map((t) => t.kind)).toEqual(['rule-acted']);
  });

  it('tells an account it cannot audit even when a rule’s action then throws (the memory already holds it as told)', async () => {
    const w = await world();
    await updateWatch(await w.db(), 'a1', (r) => ({ ...r, rules: { ...DEFAULT_RULES, signOutAfterHours: 8 } }));
    const hidden = { key: 'connErr_baFresh' as const, subs: ['app.example'] };
    w.fail({ state: 'ok', sessions: [s('mine', { ...laptop, current: true, createdAt: w.now() - 2 * DAY })], hidden, fetchedAt: w.now(), whoami: { account: 'me' } });
    w.revokeThrows(new Error('storage full'));
    await expect(w.watch.run()).rejects.toThrow('storage full');
    expect(w.told.map((t) => t.kind)).toEqual(['problem']);
  });

  it('“Audit now” answers with what each account’s audit found: counts, and why it could not look; never a session id', async () => {
    const w = await world();
    const handlers = watchHandlers(w);
    const run = () => handlers['watch/run'](null);
    await updateWatch(await w.db(), 'a1', (r) => ({ ...r, rules: { ...DEFAULT_RULES, inactiveDays: 30 } }));
    w.list(s('mine', { ...laptop, current: true }));
    expect((await run()).audited).toEqual([{ accountId: 'a1', newSignIns: 0, ruleActions: 0 }]);
    w.list(s('mine', { ...laptop, current: true }), s('x', stranger), s('old', { ...laptop, lastActiveAt: w.now() - 31 * DAY }));
    const found = await run();
    expect(found.audited).toEqual([{ accountId: 'a1', newSignIns: 1, ruleActions: 1 }]);
    expect(JSON.stringify(found)).not.toContain('"x"');
    expect(found.state.accounts[0]).toMatchObject({ accountId: 'a1', lastRunAt: w.now() });
    w.fail({ state: 'error', kind: 'offline', message: 'fetch failed', said: { key: 'failure_offline' } });
    expect((await run()).audited).toEqual([{ accountId: 'a1', newSignIns: 0, ruleActions: 0, failure: { kind: 'offline', message: 'fetch failed', said: { key: 'failure_offline' } } }]);
    w.fail({ state: 'signed-out' });
    expect((await run()).audited).toEqual([{ accountId: 'a1', newSignIns: 0, ruleActions: 0, failure: { kind: 'signed-out', message: '' } }]);
  });

  it('marks a listed session known from the popup, and refuses one not listed', async () => {
    const w = await world();
    w.list(s('mine', { ...laptop, current: true }));
    await w.watch.run();
    w.list(s('mine', { ...laptop, current: true }), s('x', stranger));
    await w.watch.run();
    expect(await w.watch.markKnown('a1', 'x')).toBe(true);
    expect((await readWatch(await w.db(), 'a1')).alerts).toEqual([]);
    expect(await w.watch.markKnown('a1', 'nope')).toBe(false);
  });

  it('offers “Known” on no session before the first audit (it takes them all), then on a new ordinary one until it is marked', async () => {
    const w = await world();
    const phone = s('p', { device: 'Phone', os: 'Android', browser: 'Chrome', ip: '203.0.113.50' });
    const tablet = s('t', { device: 'Tablet', os: 'iPadOS', browser: 'Safari', ip: '203.0.113.51' });
    const mine = s('mine', { ...laptop, current: true });
    const cache = async (...sessions: ReturnType<typeof s>[]) => (await w.db()).put('cache', { accountId: 'a1', at: w.now(), result: { state: 'ok', sessions, fetchedAt: 0, whoami: { account: 'me' } } });
    const row = async () => (await readAccountsWithCache(await w.db())).map(toCachedStatus)[0]!;
    w.list(mine, phone);
    await cache(mine, phone);
    expect(await row()).not.toHaveProperty('known'); // no memory yet: nothing to sort, "Known" on none
    // Rules set before the first look make a watch record, but not a look.
    await updateWatch(await w.db(), 'a1', (r) => ({ ...r, rules: { ...DEFAULT_RULES, inactiveDays: 30 } }));
    expect(await row()).not.toHaveProperty('known');
    await w.watch.run();
    expect((await readWatch(await w.db(), 'a1')).memory.sessions).toEqual(expect.arrayContaining(['mine', 'p']));
    // A session since: offered until the person says it is theirs.
    w.list(mine, phone, tablet);
    await cache(mine, phone, tablet);
    expect(await row()).toMatchObject({ known: ['mine', 'p'] });
    expect(await w.watch.markKnown('a1', 't')).toBe(true);
    expect(await row()).toMatchObject({ known: ['mine', 'p', 't'] });
    expect(await row()).not.toHaveProperty('unrecognised');
  });
});

describe('the sessions database, version 2', () => {
  it('upgrades a version 1 database, keeping its accounts, with an empty watch store', async () => {
    const name = freshName();
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('accounts', { keyPath: 'id' });
        db.createObjectStore('cache', { keyPath: 'accountId' });
        db.createObjectStore('journal', { keyPath: 'id' });
        const audit = db.createObjectStore('audit', { keyPath: 'id' });
        audit.createIndex('by-at', ['at', 'id']);
        audit.createIndex('by-account', ['accountId', 'at', 'id']);
      },
    });
    await v1.put('accounts', { id: 'a1', connectorId: 'x', origin: 'https://a.example', settings: {}, label: 'A', linkedAt: 1 });
    v1.close();
    const db = await openSessionsDb(name);
    expect(db.version).toBe(SESSIONS_DB_VERSION);
    expect(await db.get('accounts', 'a1')).toMatchObject({ id: 'a1' });
    expect(await db.getAll('watch')).toEqual([]);
    db.close();
  });

  it('reads back a damaged watch record as a fresh one, rules off', async () => {
    const name = freshName();
    const db = await openSessionsDb(name);
    await db.put('watch', { accountId: 'a1', memory: { sessions: 'x', devices: [1, 'd'] }, rules: { unrecognised: 'burn' }, alerts: [{ key: 1 }] } as never);
    const r = await readWatch(db, 'a1');
    expect(r).toEqual({ accountId: 'a1', memory: { sessions: [], told: [], devices: ['d'], places: [] }, rules: DEFAULT_RULES, alerts: [] });
    db.close();
  });
});
