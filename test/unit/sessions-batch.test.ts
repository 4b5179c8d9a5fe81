import { describe, expect, it } from 'vitest';
import { browserLocalState } from '../../src/background/local-state';
import type { Browser } from '../../src/lib/browser';
import { batched } from '../../src/sessions/batch';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A promise settled from outside. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('batched (group commit)', () => {
  it('carries out calls made in the same turn together, and later ones in the next batch', async () => {
    const batches: number[][] = [];
    const gates: ReturnType<typeof deferred<void>>[] = [];
    const run = batched(async (items: number[]) => {
      batches.push(items);
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
      return items.map((i) => i * 10);
    });
    const first = [run(1), run(2), run(3)];
    await sleep(0);
    expect(batches).toEqual([[1, 2, 3]]);
    // Made while the first batch is in flight: wait for it, then go together.
    const second = [run(4), run(5)];
    await sleep(0);
    expect(batches).toEqual([[1, 2, 3]]);
    gates[0]!.resolve();
    expect(await Promise.all(first)).toEqual([10, 20, 30]);
    await sleep(0);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
    gates[1]!.resolve();
    expect(await Promise.all(second)).toEqual([40, 50]);
  });

  it('settles a call only once its batch has settled', async () => {
    const gate = deferred();
    const run = batched(async (items: string[]) => {
      await gate.promise;
      return items;
    });
    let settled = false;
    const call = run('a').then(() => (settled = true));
    await sleep(20);
    expect(settled).toBe(false);
    gate.resolve();
    await call;
    expect(settled).toBe(true);
  });

  it('fails only the call whose item fails: a failed batch is carried out again one call at a time', async () => {
    const batches: string[][] = [];
    const run = batched(async (items: string[]) => {
      batches.push(items);
      if (items.includes('bad')) throw new Error(`refused ${items.join(',')}`);
      return items.map((i) => i.toUpperCase());
    });
    const results = await Promise.allSettled([run('a'), run('bad'), run('c')]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'A' },
      { status: 'rejected', reason: new Error('refused bad') },
      { status: 'fulfilled', value: 'C' },
    ]);
    expect(batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
    // And it goes on working afterwards.
    expect(await run('d')).toBe('D');
  });

  it('keeps batches in call order, one at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const run = batched(async (items: number[]) => {
      most = Math.max(most, ++inFlight);
      await sleep(1 + Math.random() * 3);
      seen.push(...items);
      inFlight--;
      return items;
    });
    const calls: Promise<number>[] = [];
    for (let i = 0; i < 30; i++) {
      calls.push(run(i));
      if (i % 4 === 0) await sleep(1);
    }
    await Promise.all(calls);
    expect(most).toBe(1);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});

// ---- This browser's login state, over a fake of the cookies and browsingData APIs ------------

interface FakeCookie {
  name: string;
  domain: string;
  path: string;
  storeId: string;
  secure: boolean;
}

class FakeApis {
  cookies: FakeCookie[] = [];
  readonly removals: { options: Record<string, unknown>; types: Record<string, boolean> }[] = [];
  readonly cookieRemovals: string[] = [];
  /** Hosts whose cookies Revoke may not see (getAll throws). */
  readonly noPermission = new Set<string>();
  /** browsingData.remove throws for the Chrome form (as Firefox does). */
  firefox = false;
  /** Each browsingData.remove waits for this, when set. */
  gate: Promise<void> | null = null;
  /** Removals in flight at once, at most. */
  mostAtOnce = 0;
  private inFlight = 0;

  readonly browser = {
    cookies: {
      getAll: async ({ url }: { url: string }) => {
        const u = new URL(url);
        if (this.noPermission.has(u.hostname)) throw new Error('No host permissions for cookies at url');
        return this.cookies.filter((c) => c.domain.replace(/^\./, '') === u.hostname && (!c.secure || u.protocol === 'https:'));
      },
      remove: async ({ url, name }: { url: string; name: string }) => {
        this.cookieRemovals.push(`${url} ${name}`);
        const u = new URL(url);
        this.cookies = this.cookies.filter((c) => !(c.name === name && c.domain.replace(/^\./, '') === u.hostname));
        return null;
      },
    },
    browsingData: {
      remove: async (options: Record<string, unknown>, types: Record<string, boolean>) => {
        if (this.firefox && 'origins' in options) throw new Error('Type error for parameter removalOptions');
        this.mostAtOnce = Math.max(this.mostAtOnce, ++this.inFlight);
        try {
          if (this.gate) await this.gate;
          this.removals.push({ options, types });
          const hosts = 'origins' in options
            ? (options.origins as string[]).map((o) => new URL(o).hostname)
            : (options.hostnames as string[]);
          if (types.cookies) this.cookies = this.cookies.filter((c) => !hosts.includes(c.domain.replace(/^\./, '')));
        } finally {
          this.inFlight--;
        }
      },
    },
  };
  local() {
    return browserLocalState(this.browser as unknown as Browser);
  }
}

const cookie = (domain: string, name: string, secure = false): FakeCookie => ({ name, domain, path: '/', storeId: '0', secure });

describe('browserLocalState', () => {
  it('lists cookies on both schemes, and refuses only when neither can be seen', async () => {
    const apis = new FakeApis();
    apis.cookies = [cookie('a.test', 'sid'), cookie('a.test', '__Secure-t', true), cookie('b.test', 'other')];
    const local = apis.local();
    expect((await local.cookieNames('http://a.test:8080')).sort()).toEqual(['__Secure-t', 'sid']);
    apis.noPermission.add('b.test');
    await expect(local.cookieNames('https://b.test')).rejects.toMatchObject({ kind: 'permission' });
  });

  it('removes every cookie on both schemes, then the site data, before it resolves', async () => {
    const apis = new FakeApis();
    apis.cookies = [cookie('a.test', 'sid'), cookie('.a.test', 'pref')];
    await apis.local().clear('https://a.test');
    expect(apis.cookieRemovals.sort()).toEqual(['http://a.test/ pref', 'http://a.test/ sid', 'https://a.test/ pref', 'https://a.test/ sid']);
    expect(apis.removals).toEqual([{
      options: { origins: ['https://a.test', 'http://a.test'] },
      types: { cookies: true, localStorage: true, indexedDB: true, cacheStorage: true, serviceWorkers: true },
    }]);
    expect(apis.cookies).toEqual([]);
  });

  it('clears of many sites at once share removals, each resolving only after one that covered its origin', async () => {
    const apis = new FakeApis();
    const gate = deferred();
    apis.gate = gate.promise;
    const local = apis.local();
    const origins = Array.from({ length: 20 }, (_, i) => `http://s${i}.localhost:${8000 + i}`);
    let done = 0;
    const first = local.clear(origins[0]!).then(() => done++);
    await sleep(5); // the first removal is under way
    const rest = origins.slice(1).map((o) => local.clear(o).then(() => done++));
    await sleep(5);
    expect(done).toBe(0);
    gate.resolve();
    await Promise.all([first, ...rest]);
    expect(done).toBe(20);
    // The browser carries out removals one at a time: 2 instead of 20.
    expect(apis.removals.map((r) => (r.options.origins as string[]).length / 2)).toEqual([1, 19]);
    expect(apis.mostAtOnce).toBe(1);
    const covered = apis.removals.flatMap((r) => r.options.origins as string[]);
    for (const o of origins) {
      const host = new URL(o).host;
      expect(covered).toEqual(expect.arrayContaining([`https://${host}`, `http://${host}`]));
    }
  });

  it("falls back to Firefox's hostnames, for a batch too", async () => {
    const apis = new FakeApis();
    apis.firefox = true;
    const local = apis.local();
    await Promise.all([local.clear('https://a.test'), local.clear('http://b.test:81'), local.clear('https://b.test')]);
    expect(apis.removals).toEqual([
      { options: { hostnames: ['a.test', 'b.test'] }, types: { cookies: true, localStorage: true, indexedDB: true } },
    ]);
  });

  it('removes nothing for a site whose cookies it may not see, and fails only that clear', async () => {
    const apis = new FakeApis();
    apis.noPermission.add('b.test');
    apis.cookies = [cookie('a.test', 'sid'), cookie('b.test', 'sid')];
    const local = apis.local();
    const [a, b] = await Promise.allSettled([local.clear('https://a.test'), local.clear('https://b.test')]);
    expect(a.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: { kind: 'permission' } });
    expect(apis.removals.flatMap((r) => r.options.origins as string[])).toEqual(['https://a.test', 'http://a.test']);
    expect(apis.cookies.map((c) => c.domain)).toEqual(['b.test']);
  });
});
