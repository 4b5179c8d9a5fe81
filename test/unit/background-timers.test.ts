import { describe, expect, it } from 'vitest';
import { AUTOLOCK_ALARM, createAutoLock } from '../../src/background/autolock';
import { CLIPBOARD_ALARM, createClipboardWiper } from '../../src/background/clipboard';
import { sessionKeyCache } from '../../src/background/key-cache';
import { createSettingsStore, sanitizeSettings } from '../../src/background/settings';
import { DEFAULT_SETTINGS } from '../../src/lib/messages';
import { memoryArea } from './storage-area';

function fakeAlarms() {
  const set = new Map<string, number>();
  return { set, create: (name: string, info: { when: number }) => void set.set(name, info.when), clear: async (name: string) => set.delete(name) };
}

describe('auto-lock', () => {
  it('pushes the lock alarm forward on every use and locks when it fires', async () => {
    const alarms = fakeAlarms();
    let now = 1_000_000;
    let locked = 0;
    const al = createAutoLock({ alarms, now: () => now, lockNow: async () => void locked++ });
    await al.touch({ ...DEFAULT_SETTINGS, autoLockMinutes: 15 });
    expect(alarms.set.get(AUTOLOCK_ALARM)).toBe(1_000_000 + 15 * 60_000);
    now += 60_000;
    await al.touch({ ...DEFAULT_SETTINGS, autoLockMinutes: 15 });
    expect(alarms.set.get(AUTOLOCK_ALARM)).toBe(1_060_000 + 15 * 60_000);
    await al.onAlarm('something-else');
    expect(locked).toBe(0);
    await al.onAlarm(AUTOLOCK_ALARM);
    expect(locked).toBe(1);
    await al.stop();
    expect(alarms.set.has(AUTOLOCK_ALARM)).toBe(false);
  });
  it('locks when the screen locks, only if the setting is on', async () => {
    let locked = 0;
    const al = createAutoLock({ alarms: fakeAlarms(), now: () => 0, lockNow: async () => void locked++ });
    await al.onIdleState('idle', DEFAULT_SETTINGS);
    await al.onIdleState('locked', { ...DEFAULT_SETTINGS, lockOnSystemLock: false });
    expect(locked).toBe(0);
    await al.onIdleState('locked', DEFAULT_SETTINGS);
    expect(locked).toBe(1);
  });
});

describe('clipboard wiper', () => {
  it('remembers the copied text in session storage and wipes it when the alarm fires', async () => {
    const alarms = fakeAlarms();
    const session = memoryArea();
    const asked: string[] = [];
    const w = createClipboardWiper({ session, alarms, now: () => 5000, clearIfHolds: async (t) => (asked.push(t), 'cleared') });
    await w.schedule('123456', 30);
    expect(alarms.set.get(CLIPBOARD_ALARM)).toBe(35_000);
    expect(await w.onAlarm('other')).toBeNull();
    expect(await w.onAlarm(CLIPBOARD_ALARM)).toBe('cleared');
    expect(asked).toEqual(['123456']);
    expect(session.data.size).toBe(0);
    // A second firing (say, a duplicate alarm) has nothing left to do.
    expect(await w.onAlarm(CLIPBOARD_ALARM)).toBeNull();
  });
});

describe('session key cache', () => {
  it('round-trips key bytes and forgets them on clear', async () => {
    const cache = sessionKeyCache(memoryArea());
    expect(await cache.get()).toBeNull();
    const key = crypto.getRandomValues(new Uint8Array(32));
    await cache.set(key);
    expect(await cache.get()).toEqual(key);
    await cache.clear();
    expect(await cache.get()).toBeNull();
  });
});

describe('settings', () => {
  it('fills defaults, clamps ranges and ignores junk', () => {
    expect(sanitizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(sanitizeSettings({ autoLockMinutes: 0, clipboardClearSeconds: 99999, lockOnSystemLock: 'yes' })).toEqual({
      autoLockMinutes: 1, clipboardClearSeconds: 600, lockOnSystemLock: true, auditRetentionDays: 365,
    });
    expect(sanitizeSettings({ autoLockMinutes: 'NaN' }).autoLockMinutes).toBe(15);
    expect(sanitizeSettings({ autoLockMinutes: '30' }).autoLockMinutes).toBe(30);
  });
  it('stores updates on top of what was stored', async () => {
    const store = createSettingsStore(memoryArea());
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    await store.update({ autoLockMinutes: 5 });
    await store.update({ clipboardClearSeconds: 10 });
    expect(await store.get()).toEqual({ ...DEFAULT_SETTINGS, autoLockMinutes: 5, clipboardClearSeconds: 10 });
  });
});
