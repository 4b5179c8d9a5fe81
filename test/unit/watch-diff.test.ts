import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/connectors/types';
import type { AccountResult } from '../../src/sessions/types';
import { deviceKey, diffAccount, learn, placeKey, unrecognisedIds, type WatchMemory } from '../../src/sessions/watch';

const T0 = Date.UTC(2026, 10, 1, 12);
const HOUR = 3_600_000;

const s = (id: string, fields: Partial<Session> = {}): Session => ({ id, current: false, extra: {}, ...fields });
const ok = (sessions: Session[] | null): AccountResult => ({ state: 'ok', sessions, fetchedAt: T0, whoami: { account: 'me' } });
const laptop = { device: 'Computer', os: 'Linux', browser: 'Firefox 128', ip: '203.0.113.7' };
const phone = { device: 'Phone', os: 'iOS 17.4', browser: 'Safari 17.4', location: 'Berlin, Germany', ip: '198.51.100.9' };

/** The memory after a first look that listed `sessions`. */
const baseline = (...sessions: Session[]) => diffAccount(undefined, ok(sessions), T0).memory;

describe('deviceKey and placeKey', () => {
  it('ignore versions: a browser or system update is the same device', () => {
    expect(deviceKey({ device: 'Computer', os: 'Windows 10', browser: 'Chrome 126.0.6478' }))
      .toBe(deviceKey({ device: 'Computer', os: 'Windows 11', browser: 'Chrome 127' }));
    expect(deviceKey({ os: 'Linux', browser: 'Firefox 128' })).not.toBe(deviceKey({ os: 'Linux', browser: 'Chrome 128' }));
    expect(deviceKey({})).toBe('');
  });

  it('take the location when given, else the IPv4 /24 or the IPv6 /48', () => {
    expect(placeKey({ ip: '203.0.113.7', location: 'Berlin, Germany' })).toBe('at:berlin, germany');
    expect(placeKey({ ip: '203.0.113.7' })).toBe(placeKey({ ip: '203.0.113.200' }));
    expect(placeKey({ ip: '203.0.113.7' })).not.toBe(placeKey({ ip: '203.0.114.7' }));
    expect(placeKey({ ip: '2001:db8:0:1::5' })).toBe(placeKey({ ip: '2001:0db8:0000:ffff:0:0:0:1' }));
    expect(placeKey({ ip: '2001:db8:1::5' })).not.toBe(placeKey({ ip: '2001:db8:2::5' }));
    expect(placeKey({})).toBe('');
  });
});

describe('diffAccount', () => {
  it('learns everything on the first look and tells nothing', () => {
    const d = diffAccount(undefined, ok([s('a', { ...laptop, current: true }), s('b', phone)]), T0);
    expect(d.newSignIns).toEqual([]);
    expect(d.memory.since).toBe(T0);
    expect(d.memory.sessions).toEqual(['a', 'b']);
    expect(unrecognisedIds(d.memory, [s('b', phone)])).toEqual([]);
  });

  it('tells a new session from a device never seen, once', () => {
    const before = baseline(s('a', { ...laptop, current: true }));
    const stranger = s('x', { device: 'Computer', os: 'Windows', browser: 'Edge 126', ip: '203.0.113.9' });
    const first = diffAccount(before, ok([s('a', { ...laptop, current: true }), stranger]), T0 + 6 * HOUR);
    expect(first.newSignIns).toEqual([{ session: stranger, unknown: ['device'] }]);
    // Still unrecognised (the popup marks it), but not told a second time.
    expect(unrecognisedIds(first.memory, [stranger])).toEqual(['x']);
    const second = diffAccount(first.memory, ok([s('a', { ...laptop, current: true }), stranger]), T0 + 12 * HOUR);
    expect(second.newSignIns).toEqual([]);
    expect(unrecognisedIds(second.memory, [stranger])).toEqual(['x']);
  });

  it('tells a known device signing in from a new place', () => {
    const before = baseline(s('a', { ...laptop, current: true }));
    const away = s('y', { ...laptop, ip: '192.0.2.1' });
    expect(diffAccount(before, ok([away]), T0 + HOUR).newSignIns).toEqual([{ session: away, unknown: ['place'] }]);
  });

  it('does not tell a known device on its usual network, a browser update, nor a known session that moved', () => {
    const before = baseline(s('a', { ...laptop, current: true }), s('p', phone));
    const again = s('z', { ...laptop, browser: 'Firefox 129', ip: '203.0.113.99' });
    const moved = s('p', { ...phone, location: 'Lisbon, Portugal' });
    const d = diffAccount(before, ok([s('a', { ...laptop, current: true }), again, moved]), T0 + HOUR);
    expect(d.newSignIns).toEqual([]);
    expect(d.memory.sessions).toContain('z');
  });

  it('never tells this browser’s own session, and learns its device', () => {
    const before = baseline(s('a', laptop));
    const mine = s('m', { device: 'Computer', os: 'macOS 14', browser: 'Chrome 126', ip: '192.0.2.50', current: true });
    const d = diffAccount(before, ok([mine]), T0 + HOUR);
    expect(d.newSignIns).toEqual([]);
    expect(d.memory.devices).toContain(deviceKey(mine));
  });

  it('does not wave through a new session that says nothing about itself', () => {
    const before = baseline(s('a', laptop));
    expect(diffAccount(before, ok([s('bare')]), T0 + HOUR).newSignIns).toEqual([{ session: s('bare'), unknown: ['device', 'place'] }]);
  });

  it('“That was me” teaches the device and place: the next sign-in from them is not told', () => {
    const before = baseline(s('a', laptop));
    const stranger = s('x', phone);
    const told = diffAccount(before, ok([stranger]), T0 + HOUR);
    const known: WatchMemory = learn(told.memory, stranger);
    expect(unrecognisedIds(known, [stranger])).toEqual([]);
    expect(diffAccount(known, ok([stranger, s('x2', { ...phone, browser: 'Safari 18' })]), T0 + 2 * HOUR).newSignIns).toEqual([]);
  });

  it('says a failure once, keeps showing it, and says when it works again', () => {
    const before = baseline(s('a', laptop));
    const down: AccountResult = { state: 'error', kind: 'offline', message: 'Could not reach the site.' };
    const first = diffAccount(before, down, T0 + HOUR);
    expect(first.problem).toBe('started');
    expect(first.memory.problem).toEqual({ kind: 'offline', message: 'Could not reach the site.', since: T0 + HOUR });
    const second = diffAccount(first.memory, down, T0 + 7 * HOUR);
    expect(second.problem).toBe('ongoing');
    expect(second.memory.problem?.since).toBe(T0 + HOUR);
    // A different failure is news.
    expect(diffAccount(second.memory, { state: 'signed-out' }, T0 + 13 * HOUR).problem).toBe('started');
    const back = diffAccount(second.memory, ok([s('a', laptop)]), T0 + 13 * HOUR);
    expect(back.problem).toBe('ended');
    expect(back.memory.problem).toBeUndefined();
    // What was known survives the failures: no new baseline, nothing told.
    expect(back.memory.since).toBe(T0);
    expect(back.newSignIns).toEqual([]);
  });

  it('compares nothing for a service that lists no sessions, and keeps no baseline from it', () => {
    const d = diffAccount(undefined, ok(null), T0);
    expect(d.newSignIns).toEqual([]);
    expect(d.memory.since).toBeUndefined();
  });

  it('forgets ids no longer listed', () => {
    const before = baseline(s('a', laptop), s('b', laptop));
    expect(diffAccount(before, ok([s('a', laptop)]), T0 + HOUR).memory.sessions).toEqual(['a']);
  });

  it('while the service hides the others, says it cannot audit, once, and forgets none of them', () => {
    const own = s('a', { ...laptop, current: true });
    const before = baseline(own, s('b', phone));
    const hidden: AccountResult = { ...ok([own]), hidden: { key: 'connErr_baFresh', subs: ['app.test'] } } as AccountResult;
    const first = diffAccount(before, hidden, T0 + HOUR);
    expect(first.problem).toBe('started');
    expect(first.memory.problem).toEqual({ kind: 'reauth', message: '', since: T0 + HOUR, hidden: { key: 'connErr_baFresh', subs: ['app.test'] } });
    expect(first.memory.sessions).toEqual(['a', 'b']);
    expect(diffAccount(first.memory, hidden, T0 + 2 * HOUR).problem).toBe('ongoing');
    // Shown again after a fresh sign-in: the phone is still the person's, nothing is told.
    const back = diffAccount(first.memory, ok([s('c', { ...laptop, current: true }), s('b', phone)]), T0 + 3 * HOUR);
    expect(back).toMatchObject({ problem: 'ended', newSignIns: [] });
  });
});
