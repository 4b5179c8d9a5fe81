// this runs under the 'unit' project
// Links under way are marked (src/background/link-marks.ts): a worker stopped before a link's first
// check ended leaves its mark, and the next worker's session handlers settle it before any link or
// unlink: undone (its grant given back) unless its check had passed.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createLinkMarks, LINK_MARKS_KEY, type LinkMark } from '../../src/background/link-marks';
import { createSessionHandlers } from '../../src/background/session-handlers';
import { createConnectorContext } from '../../src/connectors/context';
import { connectorById } from '../../src/connectors/registry';
import type { LinkedAccountRef, LocalState } from '../../src/connectors/types';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, sessionsConnection } from '../../src/sessions/db';
import { createSessionEngine } from '../../src/sessions/engine';
import { memoryArea } from './storage-area';

const marksIn = (storage: ReturnType<typeof memoryArea>) => storage.data.get(LINK_MARKS_KEY) as Record<string, { worker: string; origin: string }> | undefined;

describe('link marks', () => {
  it('keeps every mark when links begin and end at once', async () => {
    const storage = memoryArea();
    const marks = createLinkMarks({ storage, workerId: 'w1' });
    await Promise.all([marks.begin('a', 'https://a.test'), marks.begin('b', 'https://b.test'), marks.begin('c', 'https://c.test')]);
    expect(Object.keys(marksIn(storage)!)).toEqual(['a', 'b', 'c']);
    await Promise.all([marks.end('b'), marks.begin('d', 'https://d.test')]);
    expect(marksIn(storage)).toEqual({
      a: { worker: 'w1', origin: 'https://a.test' }, c: { worker: 'w1', origin: 'https://c.test' }, d: { worker: 'w1', origin: 'https://d.test' },
    });
  });

  it('sweeps what an earlier worker left, not the links of this one; keeps a mark whose settling failed', async () => {
    const storage = memoryArea();
    await createLinkMarks({ storage, workerId: 'old' }).begin('left', 'https://left.test');
    await createLinkMarks({ storage, workerId: 'old' }).begin('stuck', 'https://stuck.test');
    const marks = createLinkMarks({ storage, workerId: 'new' });
    await marks.begin('mine', 'https://mine.test');
    const settled: LinkMark[] = [];
    const swept = await marks.sweep(async (mark) => {
      if (mark.accountId === 'stuck') throw new Error('database busy');
      settled.push(mark);
    });
    expect(swept).toEqual(['left']);
    expect(settled).toEqual([{ accountId: 'left', origin: 'https://left.test' }]);
    expect(Object.keys(marksIn(storage)!).sort()).toEqual(['mine', 'stuck']);
  });

  it('reads anything else in storage as no marks', async () => {
    const storage = memoryArea();
    storage.data.set(LINK_MARKS_KEY, { a: 'old-format', b: null, c: { worker: 1 } });
    const marks = createLinkMarks({ storage, workerId: 'w' });
    expect(await marks.sweep(async () => { throw new Error('nothing to settle'); })).toEqual([]);
  });
});

describe('a link a stopped worker left', () => {
  const SITE = 'https://shop.example.com';
  const GRANT = 'https://shop.example.com/*';

  /** A worker over one database and one storage.local; `cookies` answers "Any site"'s first check. */
  function worlds() {
    const dbName = `link-marks-${Math.random().toString(36).slice(2)}`;
    const storage = memoryArea();
    const granted = new Set<string>();
    const worker = (workerId: string, cookies: LocalState['cookieNames'] = async () => []) => {
      const db = sessionsConnection(() => openSessionsDb(dbName));
      const contextFor = (account: LinkedAccountRef, signal?: AbortSignal) => createConnectorContext({
        fetch: () => Promise.reject(new TypeError('no network in this test')), account,
        local: { cookieNames: cookies, clear: async () => ({ shared: [] }) },
        selectHtml: () => { throw new Error('unused'); }, ...(signal ? { signal } : {}),
      });
      const accounts = createAccountStore({ db, connectorById });
      const engine = createSessionEngine({ db, connectorById, contextFor });
      const handlers = createSessionHandlers({
        engine, accounts, linkMarks: createLinkMarks({ storage, workerId }),
        permissions: { contains: async (p) => granted.has(p), whenGranted: async (p) => granted.has(p), remove: async (p) => void granted.delete(p) },
        contextFor: (account) => contextFor(account),
      });
      return { accounts, engine, handlers };
    };
    return { storage, granted, worker };
  }

  it('is undone, its grant given back, when its first check never ended', async () => {
    const { storage, granted, worker } = worlds();
    granted.add(GRANT);
    const old = worker('old', () => new Promise(() => undefined)); // the check never answers
    void old.handlers['accounts/link']({ connectorId: 'generic', url: SITE, settings: {} }).catch(() => undefined);
    await expect.poll(async () => (await old.accounts.list()).length).toBe(1);
    expect(Object.values(marksIn(storage)!)).toEqual([{ worker: 'old', origin: SITE }]);

    const next = worker('new');
    await expect.poll(async () => marksIn(storage)).toEqual({});
    expect(await next.accounts.list()).toEqual([]);
    expect(granted.has(GRANT)).toBe(false);
  });

  it('gives the grant back when the worker stopped before the account was stored', async () => {
    const { storage, granted, worker } = worlds();
    granted.add(GRANT);
    await createLinkMarks({ storage, workerId: 'old' }).begin('never-stored', SITE);
    worker('new');
    await expect.poll(async () => marksIn(storage)).toEqual({});
    expect(granted.has(GRANT)).toBe(false);
  });

  it('is kept when its check had passed (the worker stopped before unmarking it)', async () => {
    const { storage, granted, worker } = worlds();
    granted.add(GRANT);
    const old = worker('old');
    const account = await old.accounts.add({ id: 'checked', connectorId: 'generic', instanceUrl: SITE });
    await old.engine.gather(['checked']);
    await createLinkMarks({ storage, workerId: 'old' }).begin(account.id, SITE);
    const next = worker('new');
    await expect.poll(async () => marksIn(storage)).toEqual({});
    expect((await next.accounts.list()).map((a) => a.id)).toEqual(['checked']);
    expect(granted.has(GRANT)).toBe(true);
  });

  it('is settled before a retried link of the same site: the retry links it, with its grant', async () => {
    const { storage, granted, worker } = worlds();
    granted.add(GRANT);
    const old = worker('old', () => new Promise(() => undefined));
    void old.handlers['accounts/link']({ connectorId: 'generic', url: SITE, settings: {} }).catch(() => undefined);
    await expect.poll(async () => (await old.accounts.list()).length).toBe(1);
    const [left] = await old.accounts.list();

    // The person clicks Link again: that message is what starts the next worker.
    const next = worker('new');
    const { account } = await next.handlers['accounts/link']({ connectorId: 'generic', url: SITE, settings: {} });
    expect(account.id).not.toBe(left!.id);
    expect((await next.accounts.list()).map((a) => a.id)).toEqual([account.id]);
    expect(granted.has(GRANT)).toBe(true);
    expect(marksIn(storage)).toEqual({});
  });
});
