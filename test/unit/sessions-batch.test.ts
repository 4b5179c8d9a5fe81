import { describe, expect, it } from 'vitest';
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
