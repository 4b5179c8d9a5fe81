// @vitest-environment happy-dom
/**
 * The popup's own read of the vault (src/popup/local-snapshot.ts), against the worker's Vault on
 * the same database and storage areas: the entries, the copy of the records it keeps, and the
 * key's check after the read, which treats a key gone as a lock heard.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Vault } from '../../src/vault/vault';
import { sessionKeyCache } from '../../src/background/key-cache';
import { recordsRevision } from '../../src/background/records-revision';
import { RECORDS_COPY_KEY } from '../../src/ui/records-copy';

const world = vi.hoisted(() => {
  const area = () => {
    const data = new Map<string, unknown>();
    const area = {
      data,
      /** Runs before each read of a key, so a test can change storage between two reads. */
      beforeRead: (_key: string) => undefined as void,
      get: async (k: string | string[] | null) => (typeof k === 'string' && area.beforeRead(k), Object.fromEntries([...data].filter(([key]) => k === null || (Array.isArray(k) ? k.includes(key) : k === key)))),
      set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([key, v]) => data.set(key, v)),
      remove: async (k: string) => void data.delete(k),
    };
    return area;
  };
  return { session: area(), local: area(), foundLocked: 0, afterRead: null as null | (() => void) };
});
vi.mock('../../src/lib/browser', () => ({ default: { storage: { session: world.session, local: world.local } } }));
vi.mock('../../src/ui/client', () => ({ foundVaultLocked: () => void world.foundLocked++ }));

const { readSnapshotHere } = await import('../../src/popup/local-snapshot');
const PASSWORD = 'correct horse battery';
const worker = new Vault({ keyCache: sessionKeyCache(world.session), kdfIterations: 1000, allowWeakKdfForTests: true, recordsChanged: recordsRevision(world.session).bump });
const settle = () => new Promise((r) => setTimeout(r, 10));

beforeEach(async () => {
  await worker.erase();
  localStorage.clear();
  world.foundLocked = 0;
  world.session.beforeRead = () => undefined;
  await worker.setup(PASSWORD);
  await worker.add({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: 'GitHub', account: 'ada', note: '', site: '' });
});

describe("the popup's own read of the vault", () => {
  it('shows the entries, keeps a sealed copy, and reads the copy next time', async () => {
    const first = await readSnapshotHere();
    expect(first.state === 'unlocked' && first.entries?.map((e) => e.issuer)).toEqual(['GitHub']);
    const copy = localStorage.getItem(RECORDS_COPY_KEY);
    expect(copy).toMatch(/"records"/);
    expect(copy).not.toContain('GitHub');
    const second = await readSnapshotHere();
    expect(second.state === 'unlocked' && second.entries?.map((e) => e.issuer)).toEqual(['GitHub']);
    await settle();
    expect(world.foundLocked).toBe(0);
  });

  it('treats a key gone right after the read as a lock heard', async () => {
    // The read's key read finds the key; a lock clears it before the check that follows.
    let keyReads = 0;
    world.session.beforeRead = (key) => {
      if (key === 'vaultKey' && ++keyReads === 2) world.session.data.delete('vaultKey');
    };
    const snapshot = await readSnapshotHere();
    await settle();
    expect(keyReads).toBe(2);
    expect(snapshot.state).toBe('unlocked');
    expect(world.foundLocked).toBe(1);
  });

  it('says locked, and checks nothing more, when the key is gone before the read', async () => {
    await worker.lock();
    expect((await readSnapshotHere()).state).toBe('locked');
    await settle();
    expect(world.foundLocked).toBe(0);
  });
});
