import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DB_NAME, DB_VERSION, VAULT_FORMAT, openVaultDb } from '../../src/vault/store';
import type { EntryInput, OtpEntry } from '../../src/vault/types';
import { Vault, VaultError, checkEntryInput, memoryKeyCache, type KeyCache, type VaultOptions } from '../../src/vault/vault';

const PASSWORD = 'correct horse battery';
const TEST_ITERATIONS = 1000;

let dbCounter = 0;
const freshName = () => `vault-test-${++dbCounter}-${Math.random().toString(36).slice(2)}`;

function makeVault(over: Partial<VaultOptions> & { name?: string; keyCache?: KeyCache } = {}) {
  const name = over.name ?? freshName();
  const keyCache = over.keyCache ?? memoryKeyCache();
  const vault = new Vault({
    db: () => openVaultDb(name),
    kdfIterations: TEST_ITERATIONS,
    allowWeakKdfForTests: true,
    ...over,
    keyCache,
  });
  return { vault, name, keyCache };
}

async function unlockedVault(over: Parameters<typeof makeVault>[0] = {}) {
  const made = makeVault(over);
  await made.vault.setup(PASSWORD);
  return made;
}

const input = (over: Partial<EntryInput> = {}): EntryInput => ({
  type: 'totp', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30, counter: 0,
  issuer: 'GitHub', account: 'ada@example.com', note: '', site: 'github.com', ...over,
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(VaultError);
    return (e as VaultError).code;
  }
  throw new Error('expected a VaultError, but the call succeeded');
}

// ---- Raw database access, bypassing the Vault ----

async function rawDb(name: string) {
  return openDB(name);
}

async function dump(name: string) {
  const db = await rawDb(name);
  const result = {
    meta: await db.getAll('meta'),
    entries: await db.getAll('entries'),
  };
  db.close();
  return result;
}

async function rawPut(name: string, store: 'meta' | 'entries', value: unknown, key?: string) {
  const db = await rawDb(name);
  await db.put(store, value, key);
  db.close();
}

async function rawGet(name: string, store: 'meta' | 'entries', key: string) {
  const db = await rawDb(name);
  const value = await db.get(store, key);
  db.close();
  return value;
}

const issuers = (entries: OtpEntry[]) => entries.map((e) => e.issuer);

// ------------------------------------------------------------------------------------------

describe('setup, unlock, lock, status', () => {
  it('moves through uninitialized → unlocked → locked → unlocked', async () => {
    const { vault } = makeVault();
    expect(await vault.status()).toBe('uninitialized');
    await vault.setup(PASSWORD);
    expect(await vault.status()).toBe('unlocked');
    await vault.lock();
    expect(await vault.status()).toBe('locked');
    await vault.unlock(PASSWORD);
    expect(await vault.status()).toBe('unlocked');
  });

  it('stores the header with format, KDF parameters and wrapped key', async () => {
    const { vault, name } = makeVault({ now: () => 1_700_000_000_000 });
    await vault.setup(PASSWORD);
    const { meta } = await dump(name);
    expect(meta).toHaveLength(1);
    expect(meta[0]).toMatchObject({
      format: VAULT_FORMAT,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: TEST_ITERATIONS },
      createdAt: 1_700_000_000_000,
    });
    expect(meta[0].kdf.salt).toBeInstanceOf(Uint8Array);
    expect(meta[0].wrappedKey.iv).toHaveLength(12);
  });

  it('refuses a second setup and leaves the vault alone', async () => {
    const { vault, name } = await unlockedVault();
    await vault.add(input());
    const before = await dump(name);
    expect(await code(vault.setup('another password'))).toBe('already-initialized');
    expect(await dump(name)).toEqual(before);
    await vault.lock();
    await vault.unlock(PASSWORD);
  });

  it('refuses weak passwords and creates nothing', async () => {
    const { vault } = makeVault();
    expect(await code(vault.setup(''))).toBe('weak-password');
    expect(await code(vault.setup('1234567'))).toBe('weak-password');
    expect(await code(vault.setup(undefined as unknown as string))).toBe('weak-password');
    expect(await vault.status()).toBe('uninitialized');
    await vault.setup('12345678');
    expect(await vault.status()).toBe('unlocked');
  });

  it('answers not-initialized before there is a vault', async () => {
    const { vault } = makeVault();
    expect(await code(vault.unlock(PASSWORD))).toBe('not-initialized');
    expect(await code(vault.list())).toBe('not-initialized');
    expect(await code(vault.add(input()))).toBe('not-initialized');
    await vault.lock(); // harmless
    expect(await vault.status()).toBe('uninitialized');
  });

  it('refuses everything but status/setup/unlock while locked', async () => {
    const { vault } = await unlockedVault();
    const entry = await vault.add(input({ type: 'hotp' }));
    await vault.lock();
    const attempts: Promise<unknown>[] = [
      vault.list(), vault.get(entry.id), vault.add(input()), vault.addMany([input()]),
      vault.update(entry.id, { issuer: 'x' }), vault.remove(entry.id), vault.restore(entry),
      vault.move(entry.id, 0), vault.advanceCounter(entry.id), vault.changePassword(PASSWORD, 'new password!'),
      vault.discardCorrupt(entry.id),
    ];
    for (const attempt of attempts) expect(await code(attempt)).toBe('locked');
  });
});

describe('wrong password', () => {
  it('is rejected and changes nothing, byte for byte', async () => {
    const { vault, name } = await unlockedVault();
    await vault.add(input());
    await vault.lock();
    const before = await dump(name);
    expect(await code(vault.unlock('wrong password'))).toBe('wrong-password');
    expect(await code(vault.unlock(''))).toBe('wrong-password');
    // What the page says: a message key, put into the person's language there (not English from here).
    await expect(vault.unlock('wrong password')).rejects.toMatchObject({ said: { key: 'vault_wrongPassword' } });
    expect(await vault.status()).toBe('locked');
    expect(await dump(name)).toEqual(before);
  });

  it('does not lock an unlocked vault', async () => {
    const { vault } = await unlockedVault();
    expect(await code(vault.unlock('wrong password'))).toBe('wrong-password');
    expect(await vault.status()).toBe('unlocked');
  });
});

describe('changePassword', () => {
  it('re-wraps only the data key: entry records are byte-identical, old password fails, new works', async () => {
    const { vault, name } = await unlockedVault();
    await vault.addMany([input({ issuer: 'A' }), input({ issuer: 'B' })]);
    const before = await dump(name);
    await vault.changePassword(PASSWORD, 'a brand new password');
    const after = await dump(name);
    expect(after.entries).toEqual(before.entries);
    expect(after.meta[0].kdf.salt).not.toEqual(before.meta[0].kdf.salt);
    expect(after.meta[0].wrappedKey).not.toEqual(before.meta[0].wrappedKey);
    expect(after.meta[0].createdAt).toBe(before.meta[0].createdAt);
    expect(await vault.status()).toBe('unlocked');

    await vault.lock();
    expect(await code(vault.unlock(PASSWORD))).toBe('wrong-password');
    await vault.unlock('a brand new password');
    expect(issuers((await vault.list()).entries)).toEqual(['A', 'B']);
  });

  it('with a wrong old password or a weak new one changes nothing', async () => {
    const { vault, name } = await unlockedVault();
    await vault.add(input());
    const before = await dump(name);
    expect(await code(vault.changePassword('not the password', 'a brand new password'))).toBe('wrong-password');
    expect(await code(vault.changePassword(PASSWORD, 'short'))).toBe('weak-password');
    expect(await dump(name)).toEqual(before);
    expect(await vault.status()).toBe('unlocked');
  });
});

describe('KDF strength', () => {
  it('refuses fewer than 600,000 iterations unless the test-only switch is set', () => {
    const keyCache = memoryKeyCache();
    expect(() => new Vault({ keyCache, kdfIterations: 1000 })).toThrow(RangeError);
    expect(() => new Vault({ keyCache, kdfIterations: 599_999, allowWeakKdfForTests: false })).toThrow(RangeError);
    expect(() => new Vault({ keyCache, kdfIterations: 0, allowWeakKdfForTests: true })).toThrow(RangeError);
    expect(() => new Vault({ keyCache, kdfIterations: 1.5, allowWeakKdfForTests: true })).toThrow(RangeError);
    expect(() => new Vault({ keyCache, kdfIterations: 1000, allowWeakKdfForTests: true })).not.toThrow();
    expect(() => new Vault({ keyCache, kdfIterations: 1_000_000 })).not.toThrow();
  });

  it('re-wraps a vault with fewer iterations than configured when it is unlocked', async () => {
    const { vault, name, keyCache } = await unlockedVault();
    await vault.add(input());
    await vault.lock();
    const before = await dump(name);
    const stronger = makeVault({ name, keyCache, kdfIterations: 2000 }).vault;
    await stronger.unlock(PASSWORD);
    const after = await dump(name);
    expect(after.meta[0].kdf.iterations).toBe(2000);
    expect(after.meta[0].kdf.salt).not.toEqual(before.meta[0].kdf.salt);
    expect(after.entries).toEqual(before.entries);
    await stronger.lock();
    await stronger.unlock(PASSWORD);
    expect((await stronger.list()).entries).toHaveLength(1);
    // Never lowered: a vault configured for fewer iterations leaves the header as it is.
    const weaker = makeVault({ name, keyCache, kdfIterations: 1000 }).vault;
    await weaker.unlock(PASSWORD);
    expect((await dump(name)).meta[0].kdf.iterations).toBe(2000);
  });

  it('uses 600,000 iterations by default, and unlocks at that real cost', async () => {
    const name = freshName();
    const vault = new Vault({ keyCache: memoryKeyCache(), db: () => openVaultDb(name) });
    await vault.setup(PASSWORD);
    expect((await dump(name)).meta[0].kdf.iterations).toBe(600_000);
    await vault.lock();
    // Its speed is a benchmark figure (npm run bench), not a test's business.
    await vault.unlock(PASSWORD);
    expect(await vault.status()).toBe('unlocked');
  });
});

describe('key cache (service worker restarts)', () => {
  it('a second Vault over the same database and cache is unlocked without a password', async () => {
    const { vault, name, keyCache } = await unlockedVault();
    await vault.add(input({ issuer: 'Survivor' }));
    await vault.close();
    const restarted = makeVault({ name, keyCache }).vault;
    expect(await restarted.status()).toBe('unlocked');
    expect(issuers((await restarted.list()).entries)).toEqual(['Survivor']);
  });

  it('with a fresh cache (browser restarted) the vault is locked', async () => {
    const { name } = await unlockedVault();
    const fresh = makeVault({ name }).vault;
    expect(await fresh.status()).toBe('locked');
    expect(await code(fresh.list())).toBe('locked');
  });

  it('locking through one instance locks the other (no stale in-memory key)', async () => {
    const { vault, name, keyCache } = await unlockedVault();
    const other = makeVault({ name, keyCache }).vault;
    await other.list(); // imports and memoises the key
    await vault.lock();
    expect(await code(other.list())).toBe('locked');
  });

  it('ignores a cached value that is not a 32-byte key', async () => {
    const { vault, keyCache } = await unlockedVault();
    await keyCache.set(new Uint8Array(5));
    expect(await vault.status()).toBe('locked');
    expect(await keyCache.get()).toBeNull();
  });
});

describe('entries', () => {
  it('adds with fresh ids, times and positions at the end', async () => {
    let t = 1000;
    const { vault } = await unlockedVault({ now: () => t++ });
    const a = await vault.add(input({ issuer: 'A' }));
    const b = await vault.add(input({ issuer: 'B' }));
    expect(a).toMatchObject({ issuer: 'A', pinned: false, position: 0 });
    expect(b.position).toBe(1);
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.createdAt).toBe(a.updatedAt);
    expect(await vault.get(a.id)).toEqual(a);
    expect(await vault.list()).toEqual({ entries: [a, b], corrupt: [] });
  });

  it('stores only the known fields', async () => {
    const { vault } = await unlockedVault();
    const added = await vault.add({ ...input(), extra: 'junk', id: 'chosen' } as EntryInput);
    expect(added).not.toHaveProperty('extra');
    expect(added.id).not.toBe('chosen');
    expect(await vault.get(added.id)).not.toHaveProperty('extra');
  });

  it('refuses structurally invalid entries', async () => {
    const { vault } = await unlockedVault();
    const bad: unknown[] = [
      null, 'otpauth://totp/x', {}, input({ secret: '' }), input({ secret: 'jbswy3dp' }), input({ secret: 'JBSW Y3DP' }),
      input({ secret: 'A' }), input({ digits: 5 }), input({ digits: 9 }), input({ digits: 6.5 }),
      input({ type: 'steam', digits: 6 }), input({ type: 'steam', digits: 5, period: 60 }), input({ period: 0 }),
      input({ counter: -1 }), input({ algorithm: 'MD5' as 'SHA1' }), input({ type: 'motp' as 'totp' }),
      input({ issuer: 7 as unknown as string }), { ...input(), note: undefined },
    ];
    for (const value of bad) expect(await code(vault.add(value as EntryInput))).toBe('invalid-input');
    expect((await vault.list()).entries).toEqual([]);
  });

  it('accepts the shapes real accounts have', () => {
    expect(() => checkEntryInput(input({ type: 'steam', digits: 5, period: 30 }))).not.toThrow();
    expect(() => checkEntryInput(input({ type: 'hotp', counter: 41, digits: 8, algorithm: 'SHA512' }))).not.toThrow();
    expect(() => checkEntryInput(input({ period: 60, digits: 7, algorithm: 'SHA256' }))).not.toThrow();
  });

  it('updates fields, keeps identity and place, and refuses invalid patches', async () => {
    let t = 1000;
    const { vault } = await unlockedVault({ now: () => (t += 10) });
    const a = await vault.add(input({ issuer: 'A' }));
    await vault.add(input({ issuer: 'B' }));
    const updated = await vault.update(a.id, { issuer: 'A2', note: 'backup codes in the safe' });
    expect(updated).toMatchObject({ id: a.id, issuer: 'A2', note: 'backup codes in the safe', position: 0, createdAt: a.createdAt });
    expect(updated.updatedAt).toBeGreaterThan(a.updatedAt);
    expect(await vault.get(a.id)).toEqual(updated);

    expect(await code(vault.update(a.id, { digits: 12 }))).toBe('invalid-input');
    expect(await code(vault.update(a.id, { pinned: 'yes' as unknown as boolean }))).toBe('invalid-input');
    expect(await vault.get(a.id)).toEqual(updated);
    // Identity and placement are not patchable.
    const same = await vault.update(a.id, { id: 'other', position: 99 } as Partial<EntryInput>);
    expect(same).toMatchObject({ id: a.id, position: 0 });
    expect(await code(vault.update('no-such-id', { issuer: 'x' }))).toBe('not-found');
  });

  it('removes, returning the entry, and restores it in the same place', async () => {
    const { vault } = await unlockedVault();
    const [a, b, c] = await vault.addMany([input({ issuer: 'A' }), input({ issuer: 'B' }), input({ issuer: 'C' })]);
    const removed = await vault.remove(b!.id);
    expect(removed).toEqual(b);
    expect(issuers((await vault.list()).entries)).toEqual(['A', 'C']);
    expect(await code(vault.get(b!.id))).toBe('not-found');
    expect(await code(vault.remove(b!.id))).toBe('not-found');
    await vault.restore(removed);
    expect((await vault.list()).entries).toEqual([a, b, c]);
    expect(await code(vault.restore({ ...removed, position: -1 }))).toBe('invalid-input');
    expect(await code(vault.restore({ ...removed, id: '' }))).toBe('invalid-input');
  });

  it('removes many at once, all or none, and restores them all in their places', async () => {
    const { vault, name } = await unlockedVault();
    const [a, b, c, d] = await vault.addMany(['A', 'B', 'C', 'D'].map((issuer) => input({ issuer })));
    const before = await dump(name);
    // One unknown id: nothing is deleted.
    expect(await code(vault.removeMany([b!.id, 'no-such-id', d!.id]))).toBe('not-found');
    expect(await dump(name)).toEqual(before);

    const removed = await vault.removeMany([d!.id, b!.id, b!.id]);
    expect(removed).toEqual([d, b]);
    expect(issuers((await vault.list()).entries)).toEqual(['A', 'C']);

    // One invalid entry in the undo: nothing is written.
    expect(await code(vault.restoreMany([...removed, { ...b!, id: '' }]))).toBe('invalid-input');
    expect(issuers((await vault.list()).entries)).toEqual(['A', 'C']);
    await vault.restoreMany(removed);
    expect((await vault.list()).entries).toEqual([a, b, c, d]);
    expect(await vault.removeMany([])).toEqual([]);
  });

  it('orders pinned entries first, each group by position', async () => {
    const { vault } = await unlockedVault();
    const [, b, , d] = await vault.addMany(['A', 'B', 'C', 'D'].map((issuer) => input({ issuer })));
    await vault.update(d!.id, { pinned: true });
    await vault.update(b!.id, { pinned: true });
    expect(issuers((await vault.list()).entries)).toEqual(['B', 'D', 'A', 'C']);
    await vault.update(b!.id, { pinned: false });
    expect(issuers((await vault.list()).entries)).toEqual(['D', 'A', 'B', 'C']);
  });

  it('moves within the list, staying inside its group, rewriting only records that moved', async () => {
    const { vault, name } = await unlockedVault();
    const [a, b, c, d, e] = await vault.addMany(['A', 'B', 'C', 'D', 'E'].map((issuer) => input({ issuer })));
    await vault.move(d!.id, 1);
    expect(issuers((await vault.list()).entries)).toEqual(['A', 'D', 'B', 'C', 'E']);

    const before = await rawGet(name, 'entries', e!.id);
    const aBefore = await rawGet(name, 'entries', a!.id);
    await vault.move(b!.id, 3);
    expect(issuers((await vault.list()).entries)).toEqual(['A', 'D', 'C', 'B', 'E']);
    expect(await rawGet(name, 'entries', e!.id)).toEqual(before);
    expect(await rawGet(name, 'entries', a!.id)).toEqual(aBefore);

    await vault.move(a!.id, 99); // clamped to the end
    expect(issuers((await vault.list()).entries)).toEqual(['D', 'C', 'B', 'E', 'A']);
    await vault.move(a!.id, -5); // clamped to the start
    expect(issuers((await vault.list()).entries)).toEqual(['A', 'D', 'C', 'B', 'E']);

    await vault.update(e!.id, { pinned: true });
    await vault.update(c!.id, { pinned: true });
    expect(issuers((await vault.list()).entries)).toEqual(['C', 'E', 'A', 'D', 'B']);
    await vault.move(b!.id, 0); // an unpinned entry cannot pass the pinned ones
    expect(issuers((await vault.list()).entries)).toEqual(['C', 'E', 'B', 'A', 'D']);
    await vault.move(c!.id, 4); // nor a pinned one go below them
    expect(issuers((await vault.list()).entries)).toEqual(['E', 'C', 'B', 'A', 'D']);
    expect((await vault.list()).entries.map((x) => x.position)).toEqual([0, 1, 2, 3, 4]);

    expect(await code(vault.move(a!.id, 1.5))).toBe('invalid-input');
    expect(await code(vault.move('missing', 0))).toBe('not-found');
  });

  it('advances an HOTP counter and refuses it for TOTP', async () => {
    const { vault } = await unlockedVault();
    const h = await vault.add(input({ type: 'hotp', counter: 4 }));
    expect((await vault.advanceCounter(h.id)).counter).toBe(5);
    expect((await vault.advanceCounter(h.id)).counter).toBe(6);
    expect((await vault.get(h.id)).counter).toBe(6);
    const t = await vault.add(input());
    expect(await code(vault.advanceCounter(t.id))).toBe('invalid-input');
  });

  it('erases everything in any state, after which a new vault can be made', async () => {
    const { vault, name, keyCache } = await unlockedVault();
    await vault.add(input());
    await vault.lock();
    await vault.erase();
    expect(await vault.status()).toBe('uninitialized');
    expect(await keyCache.get()).toBeNull();
    expect(await dump(name)).toEqual({ meta: [], entries: [] });
    await vault.setup('another password');
    expect((await vault.list()).entries).toEqual([]);
  });

  it('will not write entries once the vault has been erased under a cached key', async () => {
    const { vault, keyCache, name } = await unlockedVault();
    const raw = await keyCache.get();
    await vault.erase();
    await keyCache.set(raw!); // e.g. a stale cache
    expect(await code(vault.add(input()))).toBe('not-initialized');
    expect((await dump(name)).entries).toEqual([]);
  });
});

describe('addMany', () => {
  it('adds all in order, with consecutive positions', async () => {
    const { vault } = await unlockedVault();
    await vault.add(input({ issuer: 'first' }));
    const added = await vault.addMany([input({ issuer: 'x' }), input({ issuer: 'y' }), input({ issuer: 'z' })]);
    expect(added.map((e) => e.position)).toEqual([1, 2, 3]);
    expect(issuers((await vault.list()).entries)).toEqual(['first', 'x', 'y', 'z']);
    expect(await vault.addMany([])).toEqual([]);
  });

  it("pins the entries an import says were pinned, in the same write", async () => {
    const { vault } = await unlockedVault();
    await vault.addMany([input({ issuer: 'a' }), input({ issuer: 'b' }), input({ issuer: 'c' })], [false, true]);
    const stored = (await vault.list()).entries;
    expect(stored.map((e) => [e.issuer, e.pinned])).toEqual([['b', true], ['a', false], ['c', false]]);
  });

  it('stores nothing when one input is invalid, and names which', async () => {
    const { vault } = await unlockedVault();
    const attempt = vault.addMany([input({ issuer: 'ok' }), input({ digits: 42 }), input({ issuer: 'ok too' })]);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^Entry 2:/) });
    // A refusal a person can meet (the secret's) keeps its words, numbered, for the page to say.
    const secret = await vault.addMany([input({ issuer: 'ok' }), input({ secret: 'JBSWY3DP1' })]).catch((e: unknown) => e);
    expect(secret).toMatchObject({ code: 'invalid-input', said: { key: 'words_entryNumbered', subs: [2, expect.stringMatching(/^The secret contains '1'/)] } });
    expect((await vault.list()).entries).toEqual([]);
  });

  it('is one transaction: a storage failure midway stores nothing', async () => {
    // Two inputs given the same id: the second insert fails inside IndexedDB.
    const { vault } = await unlockedVault({ newId: () => 'same-id' });
    await expect(vault.addMany([input({ issuer: 'one' }), input({ issuer: 'two' })])).rejects.toMatchObject({
      name: 'ConstraintError',
    });
    expect((await vault.list()).entries).toEqual([]);
  });
});

describe('concurrency', () => {
  it('concurrent adds all persist with distinct positions', async () => {
    const { vault } = await unlockedVault();
    const added = await Promise.all(Array.from({ length: 12 }, (_, i) => vault.add(input({ issuer: `E${i}` }))));
    expect(new Set(added.map((e) => e.position)).size).toBe(12);
    const { entries } = await vault.list();
    expect(entries).toHaveLength(12);
    expect(issuers(entries)).toEqual(added.map((e) => e.issuer));
  });

  it('mixed concurrent writes do not lose each other', async () => {
    const { vault } = await unlockedVault();
    const [a, b] = await vault.addMany([input({ issuer: 'A' }), input({ issuer: 'B', type: 'hotp' })]);
    await Promise.all([
      vault.update(a!.id, { note: 'n1' }),
      vault.advanceCounter(b!.id),
      vault.add(input({ issuer: 'C' })),
      vault.update(a!.id, { pinned: true }),
      vault.advanceCounter(b!.id),
      vault.move(b!.id, 99),
    ]);
    const { entries } = await vault.list();
    expect(issuers(entries)).toEqual(['A', 'C', 'B']);
    expect(entries[0]).toMatchObject({ note: 'n1', pinned: true });
    expect(entries[2]!.counter).toBe(2);
  });

  it('a failing write does not block the ones queued after it', async () => {
    const { vault } = await unlockedVault();
    const results = await Promise.allSettled([vault.update('missing', { issuer: 'x' }), vault.add(input())]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });
});

describe('tampering and damage', () => {
  it('detects records swapped between ids (AAD) and reports both, still listing the rest', async () => {
    const { vault, name } = await unlockedVault();
    const [a, b, c] = await vault.addMany([input({ issuer: 'A' }), input({ issuer: 'B' }), input({ issuer: 'C' })]);
    const ra = await rawGet(name, 'entries', a!.id);
    const rb = await rawGet(name, 'entries', b!.id);
    await rawPut(name, 'entries', { ...ra, iv: rb.iv, ciphertext: rb.ciphertext });
    await rawPut(name, 'entries', { ...rb, iv: ra.iv, ciphertext: ra.ciphertext });
    const list = await vault.list();
    expect(list.entries).toEqual([c]);
    expect(list.corrupt).toEqual([a!.id, b!.id].sort());
    expect(await code(vault.get(a!.id))).toBe('corrupt');
    expect(await code(vault.update(a!.id, { issuer: 'x' }))).toBe('corrupt');
    expect(await code(vault.remove(b!.id))).toBe('corrupt');
    expect(await code(vault.move(a!.id, 0))).toBe('corrupt');
  });

  it('detects a record copied under a new id', async () => {
    const { vault, name } = await unlockedVault();
    const a = await vault.add(input());
    await rawPut(name, 'entries', { ...(await rawGet(name, 'entries', a.id)), id: 'copy' });
    expect(await vault.list()).toEqual({ entries: [a], corrupt: ['copy'] });
  });

  it('reports a flipped ciphertext bit, a truncated or malformed record as corrupt', async () => {
    const { vault, name } = await unlockedVault();
    const [a, b, c, d] = await vault.addMany(['A', 'B', 'C', 'D'].map((issuer) => input({ issuer })));
    const ra = await rawGet(name, 'entries', a!.id);
    const flipped = ra.ciphertext.slice();
    flipped[10] ^= 1;
    await rawPut(name, 'entries', { ...ra, ciphertext: flipped });
    await rawPut(name, 'entries', { id: b!.id, iv: new Uint8Array(12), ciphertext: new Uint8Array(3) });
    await rawPut(name, 'entries', { id: c!.id, issuer: 'plain', secret: 'JBSWY3DPEHPK3PXP' });
    const list = await vault.list();
    expect(list.entries).toEqual([d]);
    expect(list.corrupt).toEqual([a!.id, b!.id, c!.id].sort());
  });

  it('discards corrupt records only', async () => {
    const { vault, name } = await unlockedVault();
    const [a, b] = await vault.addMany([input({ issuer: 'A' }), input({ issuer: 'B' })]);
    await rawPut(name, 'entries', { id: a!.id, iv: new Uint8Array(12), ciphertext: new Uint8Array(40) });
    expect(await code(vault.discardCorrupt(b!.id))).toBe('invalid-input');
    expect(await code(vault.discardCorrupt('missing'))).toBe('not-found');
    await vault.discardCorrupt(a!.id);
    expect(await vault.list()).toEqual({ entries: [b], corrupt: [] });
  });

  it('reports a damaged header as corrupt on unlock, without touching anything', async () => {
    const cases: [string, (h: Record<string, any>) => unknown][] = [
      ['not an object', () => 'garbage'],
      ['missing wrapped key', (h) => ({ ...h, wrappedKey: undefined })],
      ['short salt', (h) => ({ ...h, kdf: { ...h.kdf, salt: new Uint8Array(4) } })],
      ['unknown KDF', (h) => ({ ...h, kdf: { ...h.kdf, name: 'scrypt' } })],
      ['absurd iterations', (h) => ({ ...h, kdf: { ...h.kdf, iterations: 2 ** 40 } })],
      ['newer format', (h) => ({ ...h, format: VAULT_FORMAT + 1 })],
    ];
    for (const [, damage] of cases) {
      const { vault, name } = await unlockedVault();
      await vault.lock();
      const header = (await dump(name)).meta[0];
      await rawPut(name, 'meta', damage(header), 'header');
      const before = await dump(name);
      expect(await vault.status()).toBe('locked');
      expect(await code(vault.unlock(PASSWORD))).toBe('corrupt');
      expect(await dump(name)).toEqual(before);
    }
  });

  it('cannot tell an altered wrapped key from a wrong password', async () => {
    const { vault, name } = await unlockedVault();
    await vault.lock();
    const header = (await dump(name)).meta[0];
    const ciphertext = header.wrappedKey.ciphertext.slice();
    ciphertext[0] ^= 1;
    await rawPut(name, 'meta', { ...header, wrappedKey: { ...header.wrappedKey, ciphertext } }, 'header');
    expect(await code(vault.unlock(PASSWORD))).toBe('wrong-password');
  });
});

describe('database schema', () => {
  it('creates the stores from an empty (version 0) database', async () => {
    const name = freshName();
    const seen: number[] = [];
    const probe = indexedDB.open(name, DB_VERSION);
    probe.onupgradeneeded = (e) => {
      seen.push(e.oldVersion);
      probe.transaction!.abort(); // leave the database as it was: nonexistent
    };
    await new Promise((resolve) => (probe.onerror = resolve));
    expect(seen).toEqual([0]);

    const db = await openVaultDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['entries', 'meta']);
    const tx = db.transaction(['meta', 'entries']);
    expect(tx.objectStore('entries').keyPath).toBe('id');
    expect(tx.objectStore('meta').keyPath).toBeNull();
    db.close();
  });

  it('keeps data when reopened at the same version', async () => {
    const { vault, name, keyCache } = await unlockedVault();
    await vault.add(input());
    await vault.close();
    const again = makeVault({ name, keyCache }).vault;
    expect((await again.list()).entries).toHaveLength(1);
  });

  it('defaults to the database name "revoke"', () => {
    expect(DEFAULT_DB_NAME).toBe('revoke');
  });

  it('lets a newer schema version elsewhere proceed, then reconnects', async () => {
    const { vault, name } = await unlockedVault();
    await vault.add(input());
    // A newer version of the extension (in another page) upgrading the database:
    const newer = await openDB(name, DB_VERSION + 1);
    newer.close();
    // Our schema is now older than the database, so reopening must fail loudly rather than hang.
    await expect(vault.list()).rejects.toMatchObject({ name: 'VersionError' });
  });
});

describe('read(): what a page shows first', () => {
  it('says uninitialized, locked, or unlocked with the same entries list() gives', async () => {
    const { vault } = makeVault();
    expect(await vault.read()).toEqual({ state: 'uninitialized' });
    await vault.setup(PASSWORD);
    await vault.add(input({ issuer: 'B' }));
    await vault.add(input({ issuer: 'A' }));
    const read = await vault.read();
    expect(read).toEqual({ state: 'unlocked', list: await vault.list() });
    await vault.lock();
    expect(await vault.read()).toEqual({ state: 'locked' });
  });

  it('works from a second Vault on the same database and key cache (the popup\'s own), and stops at a lock', async () => {
    const { vault, name, keyCache } = await unlockedVault();
    await vault.add(input());
    const { vault: popup } = makeVault({ name, keyCache });
    const read = await popup.read();
    expect(read.state === 'unlocked' && read.list.entries.map((e) => e.issuer)).toEqual(['GitHub']);
    await vault.lock();
    expect(await popup.read()).toEqual({ state: 'locked' });
    await popup.close();
  });
});
