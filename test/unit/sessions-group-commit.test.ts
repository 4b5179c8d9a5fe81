// this runs under the 'unit' project
// The writes an audit of many accounts shares in one transaction (group commit, batch.ts): each
// check and each watch record written as if alone, in order, in one transaction.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, readCached, sessionsConnection, storeChecks } from '../../src/sessions/db';
import { readWatch, updateWatches } from '../../src/sessions/watch-store';
import type { AccountResult } from '../../src/sessions/types';
import { fakeConnector, World } from './sessions-world';

async function twoAccounts() {
  const connector = fakeConnector(new World(), 'fake');
  const db = sessionsConnection(() => openSessionsDb(`group-commit-${Math.random().toString(36).slice(2)}`));
  let n = 0;
  const store = createAccountStore({ db, connectorById: () => connector, now: Date.now, newId: () => `id-${++n}` });
  const a = await store.add({ connectorId: 'fake', instanceUrl: 'https://a.test' });
  const b = await store.add({ connectorId: 'fake', instanceUrl: 'https://b.test' });
  return { db: await db(), a, b, unlink: (id: string) => store.remove(id) };
}

const ok = (account: string): AccountResult => ({ state: 'ok', sessions: [], fetchedAt: 0, whoami: { account } });

describe('storeChecks', () => {
  it('writes each check with its account, never over a newer result, and nothing for an unlinked account', async () => {
    const { db, a, b } = await twoAccounts();
    const written = await storeChecks(db, [
      { record: { accountId: a.id, at: 200, result: ok('newer') }, lastCheck: { at: 200, whoami: { account: 'newer' } } },
      // An older look of the same account in the same batch: the newer one stays.
      { record: { accountId: a.id, at: 100, result: ok('older') }, lastCheck: { at: 100, whoami: { account: 'older' } } },
      { record: { accountId: b.id, at: 150, result: { state: 'signed-out' } }, lastCheck: { at: 150, whoami: null } },
      { record: { accountId: 'gone', at: 150, result: { state: 'signed-out' } }, lastCheck: { at: 150, whoami: null } },
    ]);
    expect(written.map((w) => w?.lastCheck)).toEqual([
      { at: 200, whoami: { account: 'newer' } }, { at: 200, whoami: { account: 'newer' } }, { at: 150, whoami: null }, undefined,
    ]);
    expect((await readCached(db, a.id))?.result).toEqual(ok('newer'));
    expect((await readCached(db, b.id))?.result).toEqual({ state: 'signed-out' });
    expect(await readCached(db, 'gone')).toBeUndefined();
  });

  it('writes checks of different accounts together', async () => {
    const { db, a, b } = await twoAccounts();
    const written = await storeChecks(db, [
      { record: { accountId: a.id, at: 100, result: ok('ada') }, lastCheck: { at: 100, whoami: { account: 'ada' } } },
      { record: { accountId: b.id, at: 100, result: ok('bob') }, lastCheck: { at: 100, whoami: { account: 'bob' } } },
    ]);
    expect(written.map((w) => w?.id)).toEqual([a.id, b.id]);
    expect([(await readCached(db, a.id))?.result, (await readCached(db, b.id))?.result]).toEqual([ok('ada'), ok('bob')]);
  });
});

describe('updateWatches', () => {
  it('applies changes to one account one after another, and skips an account unlinked', async () => {
    const { db, a, b, unlink } = await twoAccounts();
    await unlink(b.id);
    const written = await updateWatches(db, [
      { accountId: a.id, change: (r) => ({ ...r, memory: { ...r.memory, devices: [...r.memory.devices, 'Phone'] } }) },
      { accountId: a.id, change: (r) => ({ ...r, memory: { ...r.memory, devices: [...r.memory.devices, 'Laptop'] } }) },
      { accountId: b.id, change: (r) => ({ ...r, memory: { ...r.memory, devices: ['never'] } }) },
    ]);
    expect(written.map((w) => w?.memory.devices)).toEqual([['Phone'], ['Phone', 'Laptop'], undefined]);
    expect((await readWatch(db, a.id)).memory.devices).toEqual(['Phone', 'Laptop']);
    expect((await readWatch(db, b.id)).memory.devices).toEqual([]);
  });
});
