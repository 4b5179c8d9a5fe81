import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { AUTOLOCK_ALARM, createAutoLock } from '../../src/background/autolock';
import { createLocker, pageBroadcaster } from '../../src/background/lock';
import { createVaultHandlers, dispatch, type RouterDeps } from '../../src/background/router';
import { createSettingsStore } from '../../src/background/settings';
import { DEFAULT_SETTINGS, isPageEvent, isRequest, type PageEvent } from '../../src/lib/messages';
import { openVaultDb } from '../../src/vault/store';
import { Vault, memoryKeyCache } from '../../src/vault/vault';

let n = 0;
const SECRET = 'JBSWY3DPEHPK3PXP';

function memoryArea() {
  const data = new Map<string, unknown>();
  return {
    get: async (k: string) => (data.has(k) ? { [k]: data.get(k) } : {}),
    set: async (items: Record<string, unknown>) => { for (const [k, v] of Object.entries(items)) data.set(k, v); },
  };
}

/** The background wired as index.ts wires it, with fakes for alarms and for the pages. */
async function background(opts: { stopFails?: boolean } = {}) {
  const vault = new Vault({ db: () => openVaultDb(`lock-${++n}`), keyCache: memoryKeyCache(), kdfIterations: 1000, allowWeakKdfForTests: true });
  const alarms = new Map<string, number>();
  const told: PageEvent[] = [];
  const lockVault = createLocker({
    vault,
    stopAutoLock: async () => {
      if (opts.stopFails) throw new Error('alarms unavailable');
      await autoLock.stop();
    },
    tellPages: async (event) => void told.push(event),
  });
  const autoLock = createAutoLock({
    alarms: { create: (name, info) => void alarms.set(name, info.when), clear: async (name) => alarms.delete(name) },
    now: () => 1_000,
    lockNow: lockVault,
  });
  const settings = createSettingsStore(memoryArea());
  const deps: RouterDeps = {
    vault, settings,
    onActivity: (s) => autoLock.touch(s), onUnlocked: (s) => autoLock.touch(s), lock: lockVault,
    scheduleClipboardClear: async () => undefined, clockSkew: async () => null,
  };
  const handlers = createVaultHandlers(deps);
  await handlers['vault/setup']({ password: 'long enough password' });
  const { entry } = await handlers['entries/add-uri']({ uri: `otpauth://totp/Bank:me?secret=${SECRET}` });
  const send = (type: string, body: unknown = null) => dispatch(handlers as never, deps, { type, body } as never);
  return { vault, alarms, told, autoLock, handlers, send, entry };
}

const LOCKED: PageEvent = { event: 'vault/locked' };

describe('every way of locking tells the open pages', () => {
  it('the lock button: locks, clears the auto-lock alarm, tells the pages, and the reply says locked', async () => {
    const bg = await background();
    expect(bg.alarms.has(AUTOLOCK_ALARM)).toBe(true);
    expect(await bg.send('vault/lock')).toEqual({ ok: true, value: null, locked: true });
    expect(await bg.vault.status()).toBe('locked');
    expect(bg.alarms.has(AUTOLOCK_ALARM)).toBe(false);
    expect(bg.told).toEqual([LOCKED]);
  });

  it('the auto-lock alarm', async () => {
    const bg = await background();
    await bg.autoLock.onAlarm('revoke/clipboard');
    expect(bg.told).toEqual([]);
    await bg.autoLock.onAlarm(AUTOLOCK_ALARM);
    expect(await bg.vault.status()).toBe('locked');
    expect(bg.alarms.has(AUTOLOCK_ALARM)).toBe(false);
    expect(bg.told).toEqual([LOCKED]);
  });

  it('the screen locking, when that setting is on', async () => {
    const bg = await background();
    await bg.autoLock.onIdleState('locked', { ...DEFAULT_SETTINGS, lockOnSystemLock: false });
    await bg.autoLock.onIdleState('idle', DEFAULT_SETTINGS);
    expect(bg.told).toEqual([]);
    expect(await bg.vault.status()).toBe('unlocked');
    await bg.autoLock.onIdleState('locked', DEFAULT_SETTINGS);
    expect(await bg.vault.status()).toBe('locked');
    expect(bg.told).toEqual([LOCKED]);
  });

  it('tells the pages even when the auto-lock timer cannot be cleared', async () => {
    const bg = await background({ stopFails: true });
    await expect(bg.autoLock.onAlarm(AUTOLOCK_ALARM)).rejects.toThrow('alarms unavailable');
    expect(await bg.vault.status()).toBe('locked');
    expect(bg.told).toEqual([LOCKED]);
  });
});

describe('a page that missed the broadcast', () => {
  it('learns of the lock from its next reply, whatever it asked', async () => {
    const bg = await background();
    expect(await bg.send('settings/update', { autoLockMinutes: 5 })).not.toHaveProperty('locked');
    await bg.autoLock.onAlarm(AUTOLOCK_ALARM);
    // A request that does not need the vault still answers, and says the vault is locked.
    expect(await bg.send('settings/update', { autoLockMinutes: 6 })).toMatchObject({ ok: true, locked: true });
    expect(await bg.send('vault/snapshot')).toEqual({ ok: true, value: { state: 'locked', settings: expect.anything() }, locked: true });
    expect(await bg.send('entries/remove', { id: bg.entry.id })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('does not re-arm the auto-lock from a locked vault', async () => {
    const bg = await background();
    await bg.send('vault/lock');
    await bg.send('settings/update', { autoLockMinutes: 6 });
    await new Promise((r) => setTimeout(r, 10));
    expect(bg.alarms.has(AUTOLOCK_ALARM)).toBe(false);
  });
});

describe('the broadcast itself', () => {
  it('is a page event, never mistaken for a request to the background', () => {
    expect(isPageEvent(LOCKED)).toBe(true);
    expect(isRequest(LOCKED)).toBe(false);
    expect(isPageEvent({ type: 'vault/lock', body: null })).toBe(false);
    expect(isPageEvent({ event: 'toString' })).toBe(false);
    expect(isPageEvent(null)).toBe(false);
  });

  it('sends through runtime.sendMessage and shrugs off "no page is open"', async () => {
    const sent: unknown[] = [];
    const tell = pageBroadcaster({
      sendMessage: async (m) => {
        sent.push(m);
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
    });
    await expect(tell(LOCKED)).resolves.toBeUndefined();
    expect(sent).toEqual([LOCKED]);
  });
});

describe('editing an entry without its secret', () => {
  const form = { type: 'totp', issuer: 'Bank Renamed', account: 'me', algorithm: 'SHA1', digits: '6', period: '30', counter: '0', note: '', site: '' };

  it('keeps the stored secret when the form sends none', async () => {
    const bg = await background();
    const updated = await bg.handlers['entries/update']({ id: bg.entry.id, form });
    expect(updated).toMatchObject({ issuer: 'Bank Renamed', secret: SECRET });
    expect((await bg.vault.get(bg.entry.id)).secret).toBe(SECRET);
  });

  it('replaces it when one is sent, and refuses an empty one without changing anything', async () => {
    const bg = await background();
    await expect(bg.handlers['entries/update']({ id: bg.entry.id, form: { ...form, secret: '' } }))
      .rejects.toMatchObject({ code: 'invalid-input' });
    expect(await bg.vault.get(bg.entry.id)).toMatchObject({ issuer: 'Bank', secret: SECRET });
    const other = 'GEZDGNBVGY3TQOJQ';
    expect(await bg.handlers['entries/update']({ id: bg.entry.id, form: { ...form, secret: other } })).toMatchObject({ secret: other });
  });
});
