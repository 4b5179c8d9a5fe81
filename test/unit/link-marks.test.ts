// this runs under the 'unit' project
// Links under way are marked (src/background/link-marks.ts): a worker stopped before a link's first
// check ended leaves its account marked, and the next worker unlinks it and gives its grant back.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createLinkMarks, LINK_MARKS_KEY } from '../../src/background/link-marks';
import { createSessionHandlers } from '../../src/background/session-handlers';
import { createConnectorContext, type RawFetch } from '../../src/connectors/context';
import { connectorById } from '../../src/connectors/registry';
import type { LinkedAccountRef } from '../../src/connectors/types';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, sessionsConnection } from '../../src/sessions/db';
import { createSessionEngine } from '../../src/sessions/engine';
import { SessionsError } from '../../src/sessions/types';

function memoryArea() {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (k: string) => (data.has(k) ? { [k]: structuredClone(data.get(k)) } : {}),
    set: async (items: Record<string, unknown>) => { for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v)); },
  };
}

describe('link marks', () => {
  it('keeps every mark when links begin and end at once', async () => {
    const storage = memoryArea();
    const marks = createLinkMarks({ storage, workerId: 'w1' });
    await Promise.all([marks.begin('a'), marks.begin('b'), marks.begin('c')]);
    expect(storage.data.get(LINK_MARKS_KEY)).toEqual({ a: 'w1', b: 'w1', c: 'w1' });
    await Promise.all([marks.end('b'), marks.begin('d')]);
    expect(storage.data.get(LINK_MARKS_KEY)).toEqual({ a: 'w1', c: 'w1', d: 'w1' });
  });

  it('sweeps what an earlier worker left, not the links of this one; keeps a mark whose unlink failed', async () => {
    const storage = memoryArea();
    await createLinkMarks({ storage, workerId: 'old' }).begin('left');
    await createLinkMarks({ storage, workerId: 'old' }).begin('stuck');
    const marks = createLinkMarks({ storage, workerId: 'new' });
    await marks.begin('mine');
    const unlinked: string[] = [];
    const swept = await marks.sweep(async (id) => {
      if (id === 'stuck') throw new Error('database busy');
      unlinked.push(id);
    });
    expect(swept).toEqual(['left']);
    expect(unlinked).toEqual(['left']);
    expect(storage.data.get(LINK_MARKS_KEY)).toEqual({ stuck: 'old', mine: 'new' });
  });

  it('reads anything else in storage as no marks', async () => {
    const storage = memoryArea();
    storage.data.set(LINK_MARKS_KEY, ['not', 'marks']);
    const marks = createLinkMarks({ storage, workerId: 'w' });
    expect(await marks.sweep(async () => { throw new Error('nothing to unlink'); })).toEqual([]);
  });
});

describe('a link whose worker stopped before its first check ended', () => {
  it('is unlinked by the next worker, its grant given back; a link that ended is not marked', async () => {
    const dbName = `link-marks-${Math.random().toString(36).slice(2)}`;
    const storage = memoryArea();
    const granted = new Set(['https://forum.example.com/*']);
    /** The old worker's site never answers: its first check is still under way when the worker "stops". */
    let answer: RawFetch = () => new Promise(() => undefined);
    const worker = (workerId: string) => {
      const db = sessionsConnection(() => openSessionsDb(dbName));
      const contextFor = (account: LinkedAccountRef, signal?: AbortSignal) => createConnectorContext({
        fetch: (url, init) => answer(url, init), account, local: { cookieNames: async () => [], clear: async () => ({ shared: [] }) },
        selectHtml: () => { throw new Error('unused'); }, ...(signal ? { signal } : {}),
      });
      const accounts = createAccountStore({ db, connectorById });
      const linkMarks = createLinkMarks({ storage, workerId });
      const handlers = createSessionHandlers({
        engine: createSessionEngine({ db, connectorById, contextFor }), accounts, linkMarks,
        permissions: { contains: async (p) => granted.has(p), whenGranted: async (p) => granted.has(p), remove: async (p) => void granted.delete(p) },
        contextFor: (account) => contextFor(account),
      });
      return { accounts, linkMarks, handlers };
    };

    const old = worker('old');
    void old.handlers['accounts/link']({ connectorId: 'discourse', url: 'https://forum.example.com', settings: {} }).catch(() => undefined);
    await expect.poll(async () => (await old.accounts.list()).length).toBe(1);
    const [stored] = await old.accounts.list();
    expect(storage.data.get(LINK_MARKS_KEY)).toEqual({ [stored!.id]: 'old' });

    const next = worker('new');
    const swept = await next.linkMarks.sweep(async (accountId) => {
      try {
        await next.handlers['accounts/unlink']({ accountId });
      } catch (e) {
        if (!(e instanceof SessionsError && e.code === 'not-found')) throw e;
      }
    });
    expect(swept).toEqual([stored!.id]);
    expect(await next.accounts.list()).toEqual([]);
    expect(granted.has('https://forum.example.com/*')).toBe(false);
    expect(storage.data.get(LINK_MARKS_KEY)).toEqual({});

    // A link that ends (here refused: the site answers nothing Discourse would) leaves no mark behind.
    granted.add('https://forum.example.com/*');
    answer = async () => new Response('<html>not a forum</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    await expect(next.handlers['accounts/link']({ connectorId: 'discourse', url: 'https://forum.example.com', settings: {} })).rejects.toBeTruthy();
    expect(storage.data.get(LINK_MARKS_KEY)).toEqual({});
    expect(await next.accounts.list()).toEqual([]);
  });
});
