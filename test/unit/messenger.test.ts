import { describe, expect, it } from 'vitest';
import { AppError, DEFAULT_SETTINGS, afterLock, type Reply, type Snapshot } from '../../src/lib/messages';
import { createMessenger } from '../../src/ui/messenger';

/** A runtime whose background answers with `answer`, and whose broadcasts the test delivers (or drops). */
function fakeRuntime(answer: (message: { type: string }) => Reply | undefined) {
  const listeners: ((message: unknown) => unknown)[] = [];
  return {
    sendMessage: async (message: unknown) => answer(message as { type: string }),
    onMessage: { addListener: (l: (message: unknown) => undefined) => void listeners.push(l) },
    deliver: (message: unknown) => listeners.map((l) => l(message)),
  };
}

function setup(answer: (message: { type: string }) => Reply | undefined) {
  const runtime = fakeRuntime(answer);
  const messenger = createMessenger(runtime);
  let heard = 0;
  const stop = messenger.onLocked(() => void heard++);
  return { runtime, messenger, heard: () => heard, stop };
}

describe('the pages’ messenger and the lock signal', () => {
  it('hears the background’s vault/locked broadcast, without answering it', () => {
    const { runtime, heard } = setup(() => undefined);
    expect(runtime.deliver({ event: 'vault/locked' })).toEqual([undefined]);
    expect(heard()).toBe(1);
  });

  it('ignores anything else that arrives', () => {
    const { runtime, heard } = setup(() => undefined);
    runtime.deliver({ type: 'vault/lock', body: null });
    runtime.deliver({ target: 'offscreen', type: 'clipboard/clear-if-holds', text: '1' });
    runtime.deliver({ event: 'vault/unlocked' });
    runtime.deliver('vault/locked');
    expect(heard()).toBe(0);
  });

  it('a page whose broadcast was dropped learns of the lock from its next call, whatever it asked', async () => {
    let locked = false;
    const { messenger, heard } = setup(() => (locked ? { ok: true, value: [], locked: true } : { ok: true, value: [] }));
    expect(await messenger.call('sessions/overview', null)).toEqual([]);
    expect(heard()).toBe(0);
    locked = true; // the background locked; its broadcast never reached this page
    expect(await messenger.call('sessions/overview', null)).toEqual([]);
    expect(heard()).toBe(1);
  });

  it('a "locked" error is the same signal, and still reaches the caller as that error', async () => {
    const { messenger, heard } = setup((m) => ({
      ok: false,
      error: m.type === 'entries/remove' ? { code: 'locked', message: 'The vault is locked.' } : { code: 'not-found', message: 'No such entry.' },
    }));
    await expect(messenger.call('entries/pin', { id: 'x', pinned: true })).rejects.toMatchObject({ code: 'not-found' });
    expect(heard()).toBe(0);
    const error = await messenger.call('entries/remove', { id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'locked', message: 'The vault is locked.' });
    expect(heard()).toBe(1);
  });

  it('refuses a reply made before a lock that was heard while it travelled', async () => {
    let answer!: (reply: Reply) => void;
    const runtime = fakeRuntime(() => undefined);
    runtime.sendMessage = () => new Promise((resolve) => { answer = resolve; });
    const messenger = createMessenger(runtime);
    const pending = messenger.call('vault/snapshot', null).catch((e: unknown) => e);
    runtime.deliver({ event: 'vault/locked' });
    answer({ ok: true, value: { state: 'unlocked', entries: [], settings: DEFAULT_SETTINGS } });
    expect(await pending).toMatchObject({ code: 'locked' });
    // The next call is answered normally.
    runtime.sendMessage = async () => ({ ok: true, value: { state: 'locked', settings: DEFAULT_SETTINGS }, locked: true });
    expect(await messenger.call('vault/snapshot', null)).toEqual({ state: 'locked', settings: DEFAULT_SETTINGS });
  });

  it('stops telling a listener that unsubscribed', () => {
    const { runtime, heard, stop } = setup(() => undefined);
    stop();
    runtime.deliver({ event: 'vault/locked' });
    expect(heard()).toBe(0);
  });

  it('says so when the background does not answer', async () => {
    const { messenger } = setup(() => undefined);
    await expect(messenger.call('vault/snapshot', null)).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('what a page keeps after a lock', () => {
  const unlocked: Snapshot = {
    state: 'unlocked', settings: { ...DEFAULT_SETTINGS, autoLockMinutes: 3 }, corrupt: ['c'],
    entries: [{ id: '1', type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'A', account: '', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, note: '', site: '', pinned: false, position: 0, createdAt: 0, updatedAt: 0 }],
    clockSkew: { ms: 90_000, uncertaintyMs: 1000, host: 'x.example', at: 0 },
  };
  it('only the state and the settings: nothing decrypted', () => {
    expect(afterLock(unlocked)).toEqual({ state: 'locked', settings: unlocked.settings });
  });
  it('a page still loading shows the lock screen; one locked or not set up stays as it is', () => {
    expect(afterLock(null)).toEqual({ state: 'locked', settings: DEFAULT_SETTINGS });
    const setupPage: Snapshot = { state: 'uninitialized', settings: DEFAULT_SETTINGS };
    expect(afterLock(setupPage)).toBe(setupPage);
  });
});
