/**
 * Group commit: calls made while a batch is being carried out wait, and go together in the next
 * batch (one IndexedDB transaction, one browser API call) instead of queueing one by one.
 *
 * Why: IndexedDB runs readwrite transactions whose stores overlap one after another (it locks
 * stores, not keys), and browsingData removals run one at a time. With 20 accounts signing out
 * in parallel, each journal update otherwise waits for the 19 before it.
 *
 * What is kept: a call settles only once the batch holding it has settled, so "written" still
 * means committed before the caller goes on. Batches run one after another in call order. A
 * batch of several that fails is carried out again one call at a time, so each call fails only
 * for its own reason, exactly as it would have alone (a failed transaction wrote nothing).
 */
export function batched<I, O>(run: (items: I[]) => Promise<readonly O[]>): (item: I) => Promise<O> {
  interface Waiting {
    item: I;
    resolve: (value: O) => void;
    reject: (error: unknown) => void;
  }
  let queue: Waiting[] = [];
  let busy = false;

  async function runOne(w: Waiting): Promise<void> {
    try {
      const [value] = await run([w.item]);
      w.resolve(value as O);
    } catch (e) {
      w.reject(e);
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      if (batch.length === 1) {
        await runOne(batch[0]!);
        continue;
      }
      let values: readonly O[];
      try {
        values = await run(batch.map((w) => w.item));
      } catch {
        for (const w of batch) await runOne(w);
        continue;
      }
      batch.forEach((w, i) => w.resolve(values[i] as O));
    }
    busy = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!busy) {
        busy = true;
        // Calls made in the same turn join the first batch.
        queueMicrotask(() => void drain());
      }
    });
}

/**
 * Runs `step` for each item of a batch inside one transaction: all at once when no two items share
 * a key (IndexedDB carries the requests out in order without a round trip each), else one after
 * another, so that a later item of the same key sees what the earlier one wrote.
 */
export async function eachInBatch<I, O>(items: readonly I[], key: (item: I) => string, step: (item: I) => Promise<O>): Promise<O[]> {
  if (new Set(items.map(key)).size === items.length) return Promise.all(items.map(step));
  const out: O[] = [];
  for (const item of items) out.push(await step(item));
  return out;
}
