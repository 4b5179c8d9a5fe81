/**
 * Changing the password with a new data key: afterwards an old copy of the header plus the old
 * password opens nothing, and an interrupted change leaves the vault as it was.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decryptJson, deriveKek, importDataKey, unwrapDataKey } from '../../src/vault/crypto';
import { openVaultDb, type EntryRecord, type VaultHeader } from '../../src/vault/store';
import type { EntryInput } from '../../src/vault/types';
import { Vault, entryAad, memoryKeyCache } from '../../src/vault/vault';
import de from '../../_locales/de/messages.json';
import en from '../../_locales/en/messages.json';
import { messageSource } from '../../src/i18n/messages-file';
import { say, setMessageSource, type Said } from '../../src/i18n/t';

const OLD = 'correct horse battery';
const NEW = 'a brand new password';

const input = (issuer: string): EntryInput => ({
  type: 'totp', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30, counter: 0,
  issuer, account: 'ada@example.com', note: '', site: '',
});

async function unlockedVault() {
  const name = `rekey-${Math.random().toString(36).slice(2)}`;
  const keyCache = memoryKeyCache();
  const vault = new Vault({ keyCache, db: () => openVaultDb(name), kdfIterations: 1000, allowWeakKdfForTests: true });
  await vault.setup(OLD);
  return { vault, name, keyCache };
}

async function dump(name: string): Promise<{ header: VaultHeader; records: EntryRecord[] }> {
  const db = await openDB(name);
  const result = { header: await db.get('meta', 'header'), records: await db.getAll('entries') };
  db.close();
  return result;
}

/** The raw data key a header wraps for a password. */
async function keyFrom(header: VaultHeader, password: string): Promise<Uint8Array> {
  return unwrapDataKey(await deriveKek(password, header.kdf), header.wrappedKey);
}

/** Ids of the records this raw key decrypts. */
async function openedBy(raw: Uint8Array, records: EntryRecord[]): Promise<string[]> {
  const key = await importDataKey(raw);
  const opened = await Promise.all(records.map((r) => decryptJson(key, r, entryAad(r.id)).then(() => r.id, () => null)));
  return opened.filter((id) => id !== null);
}

const issuers = async (vault: Vault) => (await vault.list()).entries.map((e) => e.issuer);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('changePassword with a new data key', () => {
  it('leaves nothing an old header copy and the old password can open, not even entries added later', async () => {
    const { vault, name, keyCache } = await unlockedVault();
    await vault.addMany([input('A'), input('B')]);
    const before = await dump(name);
    const leakedKey = await keyFrom(before.header, OLD);
    expect(await openedBy(leakedKey, before.records)).toHaveLength(2); // the leaked copy opens them today

    const result = await vault.changePassword(OLD, NEW, { newDataKey: true });
    await vault.add(input('C'));

    const after = await dump(name);
    expect(after.records.map((r) => r.id).sort()).toEqual([...before.records.map((r) => r.id), (await vault.list()).entries[2]!.id].sort());
    expect(await openedBy(leakedKey, after.records)).toEqual([]);
    // The cache holds the new key, the one the new header wraps, and it opens every record.
    const newKey = await keyFrom(after.header, NEW);
    expect(await keyCache.get()).toEqual(newKey);
    expect(await openedBy(newKey, after.records)).toHaveLength(3);
    expect(after.header.createdAt).toBe(before.header.createdAt);
    expect(result).toEqual({ reencrypted: 2, keptDamaged: [] });

    await vault.lock();
    await vault.unlock(NEW);
    expect(await issuers(vault)).toEqual(['A', 'B', 'C']);
  });

  it('rolls back entirely when the transaction fails midway: the old password still opens everything', async () => {
    const { vault, name, keyCache } = await unlockedVault();
    await vault.addMany([input('A'), input('B'), input('C')]);
    const before = await dump(name);
    const oldKey = await keyCache.get();

    // The header and one record are written, then the transaction aborts (as a crash would).
    const put = IDBObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (++calls === 3) {
        this.transaction.abort();
        throw new DOMException('Simulated interruption', 'AbortError');
      }
      return put.apply(this, args);
    });
    await expect(vault.changePassword(OLD, NEW, { newDataKey: true })).rejects.toThrow('Simulated interruption');
    expect(calls).toBe(3);
    vi.restoreAllMocks();

    expect(await dump(name)).toEqual(before);
    expect(await keyCache.get()).toEqual(oldKey);
    expect(await issuers(vault)).toEqual(['A', 'B', 'C']);
    await vault.lock();
    await expect(vault.unlock(NEW)).rejects.toThrow('Wrong password');
    await vault.unlock(OLD);
    expect(await issuers(vault)).toEqual(['A', 'B', 'C']);
  });

  it('refuses, in the person\'s language, when another write reaches the vault between its read and its write', async () => {
    const name = `rekey-${Math.random().toString(36).slice(2)}`;
    let clash: EntryRecord | null = null;
    // The next readwrite transaction over header and entries is the re-encryption's: a write queued
    // just before it (IndexedDB runs them in order) is another page's edit landing in between.
    const db = async () => {
      const real = await openVaultDb(name);
      return new Proxy(real, {
        get(target, prop) {
          if (prop !== 'transaction') {
            const value: unknown = Reflect.get(target, prop, target);
            return typeof value === 'function' ? value.bind(target) : value;
          }
          return (...args: Parameters<typeof real.transaction>) => {
            if (clash && args[1] === 'readwrite' && Array.isArray(args[0]) && args[0].length === 2) {
              void target.transaction('entries', 'readwrite').store.put(clash);
              clash = null;
            }
            return target.transaction(...args);
          };
        },
      });
    };
    const vault = new Vault({ keyCache: memoryKeyCache(), db, kdfIterations: 1000, allowWeakKdfForTests: true });
    await vault.setup(OLD);
    await vault.addMany([input('A'), input('B')]);
    const before = await dump(name);
    clash = { ...before.records[0]!, iv: new Uint8Array(12).fill(9) };

    const error = await vault.changePassword(OLD, NEW, { newDataKey: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'conflict', said: { key: 'words_rekeyClash' } });
    setMessageSource(messageSource(de, 'de'));
    try {
      expect(say((error as { said: Said }).said)).toBe('Der Tresor wurde geändert, während er neu verschlüsselt wurde. Es wurde nichts geändert; versuchen Sie es erneut.');
    } finally {
      setMessageSource(messageSource(en, 'en'));
    }
    // Nothing of the change was written: the header is the old one, and the old password opens it.
    expect((await dump(name)).header).toEqual(before.header);
    await vault.lock();
    await vault.unlock(OLD);
  });

  it('keeps a record that does not decrypt exactly as it was, and reports it', async () => {
    const { vault, name } = await unlockedVault();
    const [a] = await vault.addMany([input('A'), input('B')]);
    const db = await openDB(name);
    const damaged = { id: 'damaged', iv: new Uint8Array(12), ciphertext: new Uint8Array(40).fill(7) };
    await db.put('entries', damaged);
    db.close();

    expect(await vault.changePassword(OLD, NEW, { newDataKey: true })).toEqual({ reencrypted: 2, keptDamaged: ['damaged'] });
    const after = await dump(name);
    expect(after.records.find((r) => r.id === 'damaged')).toEqual(damaged);
    expect((await vault.list()).corrupt).toEqual(['damaged']);
    expect(await vault.get(a!.id)).toEqual(a);
  });

  it('without the option re-wraps only the key: the records are untouched', async () => {
    const { vault, name } = await unlockedVault();
    await vault.add(input('A'));
    const before = await dump(name);
    expect(await vault.changePassword(OLD, NEW)).toEqual({ reencrypted: null, keptDamaged: [] });
    expect((await dump(name)).records).toEqual(before.records);
  });
});
