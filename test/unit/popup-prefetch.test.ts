/**
 * The popup's first snapshot is read by the popup itself (src/popup/local-snapshot.ts); a lock
 * heard while it is read, or before the page takes it, must give the lock screen, not the codes.
 * The worker is asked only when the popup cannot read the vault itself.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Snapshot } from '../../src/lib/messages';

const world = vi.hoisted(() => ({
  lockListeners: new Set<() => void>(),
  readHere: null as null | (() => Promise<unknown>),
  calls: [] as string[],
  /** storage.session.get's keys, in the order asked. */
  asked: [] as string[][],
  stored: {} as Record<string, unknown>,
  overviewHere: null as null | ((stored: Record<string, unknown>) => Promise<unknown>),
}));

vi.mock('../../src/lib/browser', () => ({
  default: { storage: { session: { get: async (keys: string[]) => (world.asked.push(keys), world.stored) } } },
}));
vi.mock('../../src/popup/local-overview', () => ({ readOverviewHere: (stored: Record<string, unknown>) => world.overviewHere!(stored) }));

vi.mock('../../src/ui/client', () => ({
  call: async (type: string) => {
    world.calls.push(type);
    return type === 'vault/snapshot' ? { state: 'locked', settings: {} } : type === 'sessions/overview' ? ['from the worker'] : null;
  },
  onVaultLocked: (listener: () => void) => {
    world.lockListeners.add(listener);
    return () => void world.lockListeners.delete(listener);
  },
}));
vi.mock('../../src/popup/local-snapshot', () => ({ readSnapshotHere: () => world.readHere!() }));

const unlocked: Snapshot = {
  state: 'unlocked', settings: DEFAULT_SETTINGS, corrupt: [],
  entries: [{ id: '1', type: 'totp', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: 'GitHub', account: '', note: '', site: '', pinned: false, position: 0, createdAt: 0, updatedAt: 0 }],
};
const lock = () => [...world.lockListeners].forEach((l) => l());

beforeEach(() => {
  vi.resetModules();
  world.lockListeners.clear();
  world.calls = [];
  world.asked = [];
  world.stored = {};
});

describe('the popup\'s first snapshot', () => {
  it('is read without the worker, and its lock listener goes once it is taken', async () => {
    world.readHere = async () => unlocked;
    const { prefetchSnapshot, takeSnapshot } = await import('../../src/popup/prefetch');
    prefetchSnapshot();
    expect(await takeSnapshot()).toEqual(unlocked);
    expect(world.calls).toEqual([]);
    expect(world.lockListeners.size).toBe(0);
  });

  it('becomes the lock screen when a lock is heard while it is read', async () => {
    let finish!: (s: Snapshot) => void;
    world.readHere = () => new Promise((r) => (finish = r));
    const { prefetchSnapshot, takeSnapshot } = await import('../../src/popup/prefetch');
    prefetchSnapshot();
    const taken = takeSnapshot();
    lock();
    finish(unlocked);
    expect(await taken).toEqual({ state: 'locked', settings: DEFAULT_SETTINGS });
  });

  it('becomes the lock screen when a lock came after the read but before the page took it', async () => {
    world.readHere = async () => unlocked;
    const { prefetchSnapshot, takeSnapshot } = await import('../../src/popup/prefetch');
    prefetchSnapshot();
    await new Promise((r) => setTimeout(r));
    lock();
    expect((await takeSnapshot()).state).toBe('locked');
  });

  it('is asked of the worker when the popup cannot read the vault itself', async () => {
    world.readHere = async () => { throw new Error('IndexedDB unavailable'); };
    const { prefetchSnapshot, takeSnapshot } = await import('../../src/popup/prefetch');
    prefetchSnapshot();
    expect((await takeSnapshot()).state).toBe('locked');
    expect(world.calls).toEqual(['vault/snapshot']);
  });
});

describe('the popup\'s first overview', () => {
  it('asks storage.session at once, before the code that reads the answer has loaded', async () => {
    world.stored = { connectorViews: { a: 1 }, sessionsOverview: ['copy'] };
    world.overviewHere = async (stored) => ['built from', stored];
    const { prefetchOverview, takeOverview } = await import('../../src/popup/prefetch');
    prefetchOverview();
    expect(world.asked).toEqual([['connectorViews', 'sessionsOverview']]);
    expect(await takeOverview()).toEqual(['built from', world.stored]);
    expect(world.calls).toEqual([]);
  });

  it('is asked of the worker when the popup cannot build it (a connector view missing, or the read failed)', async () => {
    world.overviewHere = async () => null;
    const { prefetchOverview, takeOverview } = await import('../../src/popup/prefetch');
    prefetchOverview();
    expect(await takeOverview()).toEqual(['from the worker']);
    world.overviewHere = async () => { throw new Error('IndexedDB unavailable'); };
    expect(await takeOverview()).toEqual(['from the worker']);
    expect(world.calls).toEqual(['sessions/overview', 'sessions/overview']);
  });
});
