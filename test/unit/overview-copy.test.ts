// this runs under the 'unit' project
// The worker's copy of the sessions overview in storage.session (src/background/overview-copy.ts):
// gone as soon as a write begins, back once no write is under way, never put back from a read a
// write overtook; and every write to what the overview shows goes through the one helper that says so.
import 'fake-indexeddb/auto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createOverviewCopy, OVERVIEW_COPY_KEY } from '../../src/background/overview-copy';
import { createAccountStore } from '../../src/sessions/accounts';
import {
  listenToOverviewWrites, openSessionsDb, readAccountsWithCache, sessionsConnection, storeChecks, storeSeen, toCachedStatus,
} from '../../src/sessions/db';
import { updateWatch } from '../../src/sessions/watch-store';
import type { CachedStatus } from '../../src/sessions/types';
import { fakeConnector, World } from './sessions-world';

/** storage.session as one context sees it: calls applied in the order made. */
function fakeSession() {
  const items = new Map<string, unknown>();
  const calls: string[] = [];
  return {
    items,
    calls,
    async get(key: string): Promise<Record<string, unknown>> {
      calls.push('get');
      return items.has(key) ? { [key]: structuredClone(items.get(key)) } : {};
    },
    async set(values: Record<string, unknown>) {
      calls.push('set');
      for (const [k, v] of Object.entries(values)) items.set(k, structuredClone(v));
    },
    async remove(key: string) {
      calls.push('remove');
      items.delete(key);
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const status = (label: string): CachedStatus => ({
  account: { id: label, connectorId: 'fake', origin: `https://${label}.test`, label, settings: {}, linkedAt: 0 }, at: null, result: null,
});

describe('the overview copy', () => {
  it('is removed when a write begins and put back from the database when it ends', async () => {
    const session = fakeSession();
    session.items.set(OVERVIEW_COPY_KEY, [status('old')]);
    const copy = createOverviewCopy({ session, read: async () => [status('new')], settleMs: 0 });
    copy.begin();
    await settle();
    expect(session.items.has(OVERVIEW_COPY_KEY)).toBe(false);
    copy.end();
    await settle();
    expect(session.items.get(OVERVIEW_COPY_KEY)).toEqual([status('new')]);
  });

  it('stays away while any of several writes is under way', async () => {
    const session = fakeSession();
    let reads = 0;
    const copy = createOverviewCopy({ session, read: async () => (reads++, [status('after')]), settleMs: 0 });
    copy.begin();
    copy.begin();
    copy.end();
    await settle();
    expect(session.items.has(OVERVIEW_COPY_KEY)).toBe(false);
    expect(reads).toBe(0);
    copy.end();
    await settle();
    expect(session.items.get(OVERVIEW_COPY_KEY)).toEqual([status('after')]);
    expect(reads).toBe(1);
  });

  it('drops a read that a write overtook; the later write puts back what the database then holds', async () => {
    const session = fakeSession();
    const reads = [deferred<CachedStatus[]>(), deferred<CachedStatus[]>()];
    let n = 0;
    const copy = createOverviewCopy({ session, read: () => reads[n++]!.promise, settleMs: 0 });
    copy.begin();
    copy.end();
    await settle(); // the first read starts
    expect(n).toBe(1);
    copy.begin(); // a second write begins while it runs
    reads[0]!.resolve([status('before the second write')]);
    await settle();
    expect(session.items.has(OVERVIEW_COPY_KEY)).toBe(false);
    copy.end();
    reads[1]!.resolve([status('after it')]);
    await settle();
    expect(session.items.get(OVERVIEW_COPY_KEY)).toEqual([status('after it')]);
    expect(session.calls).toEqual(['remove', 'remove', 'set']);
  });

  it('waits for a burst of writes to settle, then reads once', async () => {
    const session = fakeSession();
    let reads = 0;
    const copy = createOverviewCopy({ session, read: async () => (reads++, [status('after the burst')]), settleMs: 30 });
    for (let i = 0; i < 5; i++) {
      copy.begin();
      copy.end();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(reads).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(reads).toBe(1);
    expect(session.items.get(OVERVIEW_COPY_KEY)).toEqual([status('after the burst')]);
  });

  it('hears a write end even when removing the copy throws', async () => {
    const session = fakeSession();
    let reads = 0;
    const copy = createOverviewCopy({
      session: { ...session, remove: () => { throw new Error('storage gone'); } }, read: async () => (reads++, []), settleMs: 0,
    });
    const said = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    copy.begin();
    copy.end();
    await settle();
    await settle();
    expect(reads).toBe(1);
    expect(said).toHaveBeenCalledOnce();
    said.mockRestore();
  });

  it('is filled as the worker starts when there is none (a browser start empties storage.session), and left as it is when there is', async () => {
    const session = fakeSession();
    let reads = 0;
    const copy = createOverviewCopy({ session, read: async () => (reads++, [status('db')]), settleMs: 0 });
    await copy.fill();
    expect(session.items.get(OVERVIEW_COPY_KEY)).toEqual([status('db')]);
    session.items.set(OVERVIEW_COPY_KEY, [status('held')]);
    await copy.fill();
    expect(session.items.get(OVERVIEW_COPY_KEY)).toEqual([status('held')]);
    expect(reads).toBe(1);
  });

  it('does not fill while a write is under way', async () => {
    const session = fakeSession();
    let reads = 0;
    const copy = createOverviewCopy({ session, read: async () => (reads++, [status('db')]), settleMs: 60_000 });
    copy.begin();
    await copy.fill();
    expect(session.items.has(OVERVIEW_COPY_KEY)).toBe(false);
    expect(reads).toBe(0); // the write's end puts it back
  });

  it('drops its own read when a write begins while it reads', async () => {
    const session = fakeSession();
    const read = deferred<CachedStatus[]>();
    let reads = 0;
    const copy = createOverviewCopy({ session, read: () => (reads++, read.promise), settleMs: 60_000 });
    const filling = copy.fill();
    await vi.waitFor(() => expect(reads).toBe(1)); // past its look at storage: reading the database
    copy.begin();
    read.resolve([status('stale')]);
    await filling;
    expect(session.items.has(OVERVIEW_COPY_KEY)).toBe(false);
    expect(session.calls).not.toContain('set');
  });

  it('leaves no copy when the read fails', async () => {
    const session = fakeSession();
    session.items.set(OVERVIEW_COPY_KEY, [status('old')]);
    const copy = createOverviewCopy({ session, read: async () => { throw new Error('database closed'); }, settleMs: 0 });
    copy.begin();
    copy.end();
    await settle();
    expect(session.items.has(OVERVIEW_COPY_KEY)).toBe(false);
  });

  it('follows real writes: link, check, seen, watch and unlink each leave the copy equal to the database', async () => {
    const session = fakeSession();
    const name = `overview-copy-${Math.random().toString(36).slice(2)}`;
    let db!: () => ReturnType<typeof openSessionsDb>;
    const copy = createOverviewCopy({ session, read: async () => (await readAccountsWithCache(await db())).map(toCachedStatus), settleMs: 0 });
    db = sessionsConnection(async () => listenToOverviewWrites(await openSessionsDb(name), copy));
    let n = 0;
    const store = createAccountStore({ db, connectorById: () => fakeConnector(new World(), 'fake'), now: () => 1000, newId: () => `id-${++n}` });
    const truth = async () => (await readAccountsWithCache(await db())).map(toCachedStatus);
    const copied = async () => {
      for (let i = 0; i < 20 && !session.items.has(OVERVIEW_COPY_KEY); i++) await settle();
      return session.items.get(OVERVIEW_COPY_KEY);
    };

    const a = await store.add({ connectorId: 'fake', instanceUrl: 'https://a.test' });
    expect(await copied()).toEqual(await truth());
    const b = await store.add({ connectorId: 'fake', instanceUrl: 'https://b.test' });
    const session1 = { id: 's1', current: true, extra: {} };
    await storeChecks(await db(), [{ record: { accountId: a.id, at: 5, result: { state: 'ok', sessions: [session1], fetchedAt: 5, whoami: { account: 'ada' } } }, lastCheck: { at: 5, whoami: { account: 'ada' } } }]);
    expect(await copied()).toEqual(await truth());
    expect((await copied() as CachedStatus[])[0]!.result).toMatchObject({ state: 'ok', sessions: [session1] });
    await storeSeen(await db(), a.id, ['s1']);
    expect(await copied()).toEqual(await truth());
    await updateWatch(await db(), a.id, (r) => ({ ...r, memory: { ...r.memory, since: 1, devices: ['x'] } }));
    expect(await copied()).toEqual(await truth());
    await store.update(b.id, { label: 'Bob' });
    expect(await copied()).toEqual(await truth());
    await store.remove(a.id);
    const last = await copied() as CachedStatus[];
    expect(last.map((s) => s.account.label)).toEqual(['Bob']);
    expect(last).toEqual(await truth());
  });
});

/** Every .ts/.tsx file under src/. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []);
}

describe('writes to what the overview shows', () => {
  it('all go through overviewWrite: every other readwrite transaction in src/ is on the journal, the audit log or the vault', () => {
    const root = join(import.meta.dirname, '../..');
    const others: string[] = [];
    for (const file of sources(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/transaction\(([^)]*?),\s*'readwrite'/g)) {
        others.push(`${relative(root, file)}: ${m[1]!.trim()}`);
      }
      // idb's shortcut writes (db.put('cache', …)) open their own readwrite transaction.
      for (const m of text.matchAll(/\.(?:put|add|delete|clear)\(\s*(['"`]\w+['"`])/g)) others.push(`${relative(root, file)}: ${m[1]}`);
    }
    // The helper itself, then the stores no overview shows.
    const overviewStores = /['"`](accounts|cache|watch)['"`]/;
    const offending = others.filter((o) => !o.startsWith('src/sessions/db.ts: stores as OverviewStore[]') && overviewStores.test(o));
    expect(offending).toEqual([]);
    // The scan finds what it looks for (so a changed spelling cannot pass it unseen).
    expect(others.some((o) => o.includes("'journal'"))).toBe(true);
    expect(others.some((o) => o === "src/sessions/db.ts: 'audit'")).toBe(true); // db.add('audit', …)
    expect(others.some((o) => o.startsWith('src/sessions/db.ts: stores as OverviewStore[]'))).toBe(true);
  });
});

describe('the popup\'s read (src/popup/local-overview.ts)', () => {
  it('builds the same views from the copy as from the database, and gives way to the worker when a connector view is missing', async () => {
    const { readOverviewHere } = await import('../../src/popup/local-overview');
    const { CONNECTOR_VIEWS_KEY, connectorViewKey } = await import('../../src/background/account-view');
    const session = fakeSession();
    // The popup reads the database under its default name when there is no copy.
    let db!: () => ReturnType<typeof openSessionsDb>;
    const copy = createOverviewCopy({ session, read: async () => (await readAccountsWithCache(await db())).map(toCachedStatus), settleMs: 0 });
    db = sessionsConnection(async () => listenToOverviewWrites(await openSessionsDb(), copy));
    let n = 0;
    const store = createAccountStore({ db, connectorById: () => fakeConnector(new World(), 'fake'), now: () => 1000, newId: () => `id-${++n}` });
    const a = await store.add({ connectorId: 'fake', instanceUrl: 'https://a.test' });
    const b = await store.add({ connectorId: 'fake', instanceUrl: 'https://b.test' });
    await storeChecks(await db(), [{ record: { accountId: a.id, at: 5, result: { state: 'signed-out' } }, lastCheck: { at: 5, whoami: null } }]);
    for (let i = 0; i < 20 && !session.items.has(OVERVIEW_COPY_KEY); i++) await settle();
    const connector = { name: 'Fake' } as never;
    const views = { [connectorViewKey(a)]: connector, [connectorViewKey(b)]: connector };
    const fromCopy = await readOverviewHere({ [CONNECTOR_VIEWS_KEY]: views, [OVERVIEW_COPY_KEY]: session.items.get(OVERVIEW_COPY_KEY) });
    const fromDb = await readOverviewHere({ [CONNECTOR_VIEWS_KEY]: views });
    expect(fromCopy).toEqual(fromDb);
    expect(fromCopy?.map((v) => [v.account.id, v.result?.state])).toEqual([[a.id, 'signed-out'], [b.id, undefined]]);
    expect(await readOverviewHere({ [CONNECTOR_VIEWS_KEY]: { [connectorViewKey(a)]: connector }, [OVERVIEW_COPY_KEY]: session.items.get(OVERVIEW_COPY_KEY) })).toBeNull();
    await store.remove(a.id);
    await store.remove(b.id);
  });
});
