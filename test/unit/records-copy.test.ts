/**
 * The popup's copy of the sealed records (src/ui/records-copy.ts) and the revision the worker
 * sets around each write (src/background/records-revision.ts), through two Vaults on one
 * database: the worker's, which writes, and a page's, which reads through the copy.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openVaultDb, readEverything, type VaultDb } from '../../src/vault/store';
import { Vault, memoryKeyCache, type KeyCache } from '../../src/vault/vault';
import { recordsRevision } from '../../src/background/records-revision';
import { RECORDS_COPY_KEY, localRecordsCopy } from '../../src/ui/records-copy';
import type { EntryInput } from '../../src/vault/types';

const PASSWORD = 'correct horse battery';
let n = 0;

function memoryStore(): Storage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items, length: 0, clear: () => items.clear(), key: () => null,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}

function memorySession() {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (k: string) => (data.has(k) ? { [k]: data.get(k) } : {}),
    set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => data.set(k, v)),
    remove: async (k: string) => void data.delete(k),
  };
}

const input = (issuer: string): EntryInput => ({
  type: 'totp', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30, counter: 0,
  issuer, account: 'ada@example.com', note: '', site: '',
});

/** The worker's vault and a page's, sharing the database, the key and the session area; the page counts its database reads. */
async function setUp() {
  const name = `records-copy-${++n}`;
  const session = memorySession();
  const store = memoryStore();
  const keyCache: KeyCache = memoryKeyCache();
  const revision = recordsRevision(session);
  const worker = new Vault({ db: () => openVaultDb(name), keyCache, kdfIterations: 1000, allowWeakKdfForTests: true, recordsChanged: revision.bump });
  const opened = { count: 0 };
  const page = () => new Vault({
    db: (): Promise<VaultDb> => {
      opened.count++;
      return openVaultDb(name);
    },
    keyCache, copy: localRecordsCopy(revision.current, store),
  });
  await worker.setup(PASSWORD);
  return { worker, page, store, session, opened, revision, name };
}

const issuers = async (vault: Vault) => {
  const r = await vault.read();
  await vault.close();
  return r.state === 'unlocked' ? r.list.entries.map((e) => e.issuer) : r.state;
};

describe("the popup's copy of the sealed records", () => {
  it('is made by the first read, used by the next, and holds only sealed records', async () => {
    const { worker, page, store, opened } = await setUp();
    await worker.addMany([input('GitHub'), input('GitLab')], [false, false]);
    expect(await issuers(page())).toEqual(['GitHub', 'GitLab']);
    expect(opened.count).toBe(1);
    const copied = store.getItem(RECORDS_COPY_KEY)!;
    expect(copied).not.toContain('GitHub');
    expect(copied).not.toContain('JBSWY3DPEHPK3PXP');
    expect(await issuers(page())).toEqual(['GitHub', 'GitLab']);
    expect(opened.count).toBe(1);
  });

  it('is not used after the worker writes: added, changed and removed entries show at once', async () => {
    const { worker, page, opened } = await setUp();
    const [gh] = await worker.addMany([input('GitHub')], [false]);
    expect(await issuers(page())).toEqual(['GitHub']);
    await worker.add(input('GitLab'));
    expect(await issuers(page())).toEqual(['GitHub', 'GitLab']);
    await worker.update(gh!.id, { issuer: 'GitHub Enterprise' });
    expect(await issuers(page())).toEqual(['GitHub Enterprise', 'GitLab']);
    await worker.remove(gh!.id);
    expect(await issuers(page())).toEqual(['GitLab']);
    expect(opened.count).toBe(4);
    expect(await issuers(page())).toEqual(['GitLab']);
    expect(opened.count).toBe(4);
  });

  it('is not used after a new data key, a lock, an unlock or an erase', async () => {
    const { worker, page, store, opened } = await setUp();
    await worker.add(input('GitHub'));
    await issuers(page());
    await worker.changePassword(PASSWORD, 'another good password', { newDataKey: true });
    expect(await issuers(page())).toEqual(['GitHub']);
    expect(opened.count).toBe(2);
    await worker.lock();
    expect(await issuers(page())).toBe('locked');
    await worker.unlock('another good password');
    expect(await issuers(page())).toEqual(['GitHub']);
    expect(opened.count).toBe(4);
    await worker.erase();
    expect(await issuers(page())).toBe('uninitialized');
    expect(store.getItem(RECORDS_COPY_KEY)).toBeNull();
  });

  it('is neither used nor made without a revision (the browser restarted: the worker sets one at unlock)', async () => {
    const { worker, page, store, session, opened } = await setUp();
    await worker.add(input('GitHub'));
    await worker.lock();
    session.data.clear();
    store.clear();
    expect(await issuers(page())).toBe('locked');
    expect(store.getItem(RECORDS_COPY_KEY)).toBeNull();
    await worker.unlock(PASSWORD);
    expect(await issuers(page())).toEqual(['GitHub']);
    expect(await issuers(page())).toEqual(['GitHub']);
    expect(opened.count).toBe(2);
  });

  it('that was tampered with or damaged is not believed: the database is read, and nothing shows as damaged', async () => {
    const { worker, page, store, opened } = await setUp();
    await worker.addMany([input('GitHub'), input('GitLab')], [false, false]);
    await issuers(page());
    const stored = JSON.parse(store.getItem(RECORDS_COPY_KEY)!) as { records: [string, string, string][] };
    // Swap the two ids: each record then fails its AAD check.
    const [a, b] = stored.records;
    store.setItem(RECORDS_COPY_KEY, JSON.stringify({ ...stored, records: [[b![0], a![1], a![2]], [a![0], b![1], b![2]]] }));
    const read = await page().read();
    expect(read.state === 'unlocked' && read.list).toMatchObject({ corrupt: [] });
    // That read put the database's records back into the copy: the next one needs no database.
    expect(await issuers(page())).toEqual(['GitHub', 'GitLab']);
    expect(opened.count).toBe(2);
    for (const junk of ['{', '{"revision":1}', JSON.stringify({ ...stored, records: [['x', 'not base64!', '']] })]) {
      store.setItem(RECORDS_COPY_KEY, junk);
      expect(await issuers(page())).toEqual(['GitHub', 'GitLab']);
    }
    expect(opened.count).toBe(5);
  });

  it('is not kept for a vault with a damaged record, which is read from the database as without a copy', async () => {
    const { worker, page, store, opened, name } = await setUp();
    const [gh, gl] = await worker.addMany([input('GitHub'), input('GitLab')], [false, false]);
    await issuers(page());
    expect(store.getItem(RECORDS_COPY_KEY)).not.toBeNull();
    // The record's bytes damaged on disk, behind the worker's back.
    const db = await openVaultDb(name);
    const record = await db.get('entries', gh!.id);
    record!.ciphertext[0]! ^= 1;
    await db.put('entries', record!);
    db.close();
    // A write the worker makes (here to the sound entry) is what lets the page see the damage.
    await worker.update(gl!.id, { note: 'changed' });
    const read = await page().read();
    expect(read.state === 'unlocked' && read.list.corrupt).toEqual([gh!.id]);
    expect(store.getItem(RECORDS_COPY_KEY)).toBeNull();
    const before = opened.count;
    await issuers(page());
    expect(opened.count).toBe(before + 1);
  });

  it('is dropped when the storage quota refuses it', async () => {
    const { worker, page, store } = await setUp();
    await worker.add(input('GitHub'));
    store.setItem(RECORDS_COPY_KEY, 'an old copy');
    store.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    expect(await issuers(page())).toEqual(['GitHub']);
    expect(store.getItem(RECORDS_COPY_KEY)).toBeNull();
  });

  it('is marked out of date before a write as well as after it', async () => {
    const name = `records-copy-${++n}`;
    const seen: number[] = [];
    const vault = new Vault({
      db: () => openVaultDb(name), keyCache: memoryKeyCache(), kdfIterations: 1000, allowWeakKdfForTests: true,
      // What the database holds each time the copies are marked out of date.
      recordsChanged: async () => {
        const db = await openVaultDb(name);
        seen.push((await readEverything(db)).records.length);
        db.close();
      },
    });
    await vault.setup(PASSWORD);
    seen.length = 0;
    const [a] = await vault.addMany([input('GitHub'), input('GitLab')], [false, false]);
    expect(seen).toEqual([0, 2]);
    await vault.remove(a!.id);
    expect(seen).toEqual([0, 2, 2, 1]);
    await vault.close();
  });
});

describe('marking the copies out of date around a write', () => {
  it("reports a failed write's own error even when the marking after it fails too", async () => {
    const name = `records-copy-${++n}`;
    const calls: string[] = [];
    const vault = new Vault({
      db: () => openVaultDb(name), keyCache: memoryKeyCache(), kdfIterations: 1000, allowWeakKdfForTests: true,
      // Every entry gets the same id, so the second add fails inside its transaction.
      newId: () => 'same-id',
      recordsChanged: async () => {
        calls.push('mark');
        // The marking after the failing write fails as well.
        if (calls.length === 4) throw new Error('storage.session refused');
      },
    });
    await vault.setup(PASSWORD);
    calls.length = 0;
    await vault.add(input('GitHub'));
    const error = await vault.add(input('GitLab')).then(() => null, (e: unknown) => e);
    expect(calls).toHaveLength(4);
    expect(String(error)).not.toContain('storage.session refused');
    expect((error as Error).name).toBe('ConstraintError');
    await vault.close();
  });
});
