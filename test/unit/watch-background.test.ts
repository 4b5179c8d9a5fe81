import { describe, expect, it } from 'vitest';
import { createWatchSchedule, DEFAULT_WATCH_HOURS, sanitizeHours, WATCH_ALARM } from '../../src/background/watch-schedule';
import { createWatchNotices, noticeText, parseAlertId, sessionLine, type NoticeText } from '../../src/background/watch-notices';
import type { Watch } from '../../src/sessions/watch-audit';
import type { LinkedAccount } from '../../src/sessions/types';
import { leaveHint, NOTICE_HINT_KEY, NOTICE_HINT_TTL_MS, takeHint } from '../../src/lib/notice-hint';
import { memoryArea } from './storage-area';

function fakeAlarms() {
  const set = new Map<string, { periodInMinutes: number; delayInMinutes: number }>();
  let creates = 0;
  return {
    set, creates: () => creates,
    create: (name: string, info: { periodInMinutes: number; delayInMinutes: number }) => { creates++; set.set(name, info); },
    clear: async (name: string) => set.delete(name),
    get: async (name: string) => set.get(name),
  };
}

describe('the watch schedule', () => {
  it('runs every 6 hours by default, as a repeating alarm, left alone when already right', async () => {
    const alarms = fakeAlarms();
    const schedule = createWatchSchedule({ area: memoryArea(), alarms });
    expect(await schedule.everyHours()).toBe(DEFAULT_WATCH_HOURS);
    await schedule.sync();
    expect(alarms.set.get(WATCH_ALARM)).toEqual({ periodInMinutes: 360, delayInMinutes: 360 });
    await schedule.sync();
    expect(alarms.creates()).toBe(1); // a worker restart does not push the next audit back
  });

  it('takes only the offered choices; off clears the alarm', async () => {
    const alarms = fakeAlarms();
    const area = memoryArea();
    const schedule = createWatchSchedule({ area, alarms });
    expect(await schedule.set(12)).toBe(12);
    expect(alarms.set.get(WATCH_ALARM)?.periodInMinutes).toBe(720);
    expect(await schedule.set(0)).toBe(0);
    expect(alarms.set.has(WATCH_ALARM)).toBe(false);
    expect(await schedule.everyHours()).toBe(0);
    expect(sanitizeHours(5)).toBe(DEFAULT_WATCH_HOURS);
    expect(sanitizeHours('24')).toBe(24);
  });
});

const account: LinkedAccount = { id: 'acc-1', connectorId: 'discourse', origin: 'https://forum.example', settings: {}, label: 'Forum', linkedAt: 1, lastCheck: { at: 1, whoami: { account: 'ada' } } };
const session = { id: 'token-like-secret', current: false, browser: 'Firefox', os: 'Linux', location: 'Berlin', ip: '192.0.2.1', extra: {} };

describe('watch notifications', () => {
  it('say who, where from, and offer the two buttons; the id never holds the session id', () => {
    const n = noticeText({ kind: 'new-sign-in', key: 'k1', account, session }, { buttons: true, newId: () => 'x' });
    expect(n).toEqual({
      id: 'revoke-watch|acc-1|k1', title: 'New sign-in to ada on forum.example', message: 'From Firefox on Linux, Berlin.',
      buttons: [{ title: 'That was me' }, { title: 'End it' }],
    });
    expect(n.id).not.toContain(session.id);
    expect(parseAlertId(n.id)).toEqual({ accountId: 'acc-1', key: 'k1' });
    expect(parseAlertId('revoke/sign-out-everywhere')).toBeNull();
  });

  it('without buttons (Firefox) the text says to click', () => {
    const n = noticeText({ kind: 'new-sign-in', key: 'k1', account, session }, { buttons: false, newId: () => 'x' });
    expect(n.buttons).toBeUndefined();
    expect(n.message).toBe('From Firefox on Linux, Berlin. Click to see it in Revoke.');
  });

  it('a rule’s action says which rule acted, as the audit log does', () => {
    const n = noticeText({ kind: 'rule-acted', account, action: { kind: 'end', session, cause: { rule: 'inactive', days: 30 } }, outcome: { status: 'confirmed', seen: 'It is gone.' } }, { buttons: true, newId: () => 'x' });
    expect(n.title).toBe('A rule acted on ada on forum.example');
    expect(n.message).toBe('Inactive for more than 30 days: Ending the session on Firefox on Linux, Berlin at forum.example: done. It is gone.');
  });

  it('an IPv6 address is shown compressed, as in the popup', () => {
    const v6 = { ...session, location: undefined, ip: '2001:0db8:0000:0000:0000:0000:0000:0005' };
    expect(sessionLine(v6)).toBe('Firefox on Linux, 2001:db8::5');
    const n = noticeText({ kind: 'new-sign-in', key: 'k1', account, session: v6 }, { buttons: true, newId: () => 'x' });
    expect(n.message).toBe('From Firefox on Linux, 2001:db8::5.');
    expect(sessionLine({ ...v6, ip: '192.0.2.1' })).toBe('Firefox on Linux, 192.0.2.1');
  });

  it('a failure says why and that it will not be said again', () => {
    const n = noticeText({ kind: 'problem', account, problem: { kind: 'signed-out', message: '', since: 1 } }, { buttons: true, newId: () => 'x' });
    expect(n).toMatchObject({ id: 'revoke-watch-problem|acc-1', title: 'Revoke cannot audit ada on forum.example' });
    expect(n.message).toBe('Not signed in there on this browser. Revoke keeps trying, but does not repeat this notice until the account has been audited successfully again.');
  });

  it('the others hidden (better-auth past a day) are said as what the watch cannot see, without a failure’s head', () => {
    const hidden = { key: 'connErr_baFresh' as const, subs: ['forum.example'] };
    const n = noticeText({ kind: 'problem', account, problem: { kind: 'reauth', message: '', since: 1, hidden } }, { buttons: true, newId: () => 'x' });
    expect(n.message).toBe('forum.example shows your other sessions only to a sign-in less than a day old (better-auth’s default). Until you sign in there again, Revoke cannot notice new sign-ins there. Revoke keeps trying, but does not repeat this notice until the account has been audited successfully again.');
  });

  it('buttons: 0 is “That was me”, 1 is “End it”, whose outcome is told', async () => {
    const calls: string[] = [];
    const shown: NoticeText[] = [];
    const notices = createWatchNotices({
      notifications: { create: async () => undefined, clear: async (id) => void calls.push(`clear ${id}`) },
      iconUrl: 'icon.png', buttons: true, openPopup: async () => void calls.push('popup'), pointAt: async () => void calls.push('hint'), newId: () => 'n1', shown,
    });
    const watch = {
      thatWasMe: async (a: string, k: string) => { calls.push(`me ${a} ${k}`); return true; },
      endIt: async (a: string, k: string) => { calls.push(`end ${a} ${k}`); return { account, session, outcome: { status: 'confirmed' as const, seen: 'It is gone.' } }; },
    } as unknown as Watch;
    await notices.onButton(watch, 'revoke-watch|acc-1|k1', 0);
    await notices.onButton(watch, 'revoke-watch|acc-1|k2', 1);
    await notices.onButton(watch, 'something-else', 1);
    expect(calls).toEqual(['clear revoke-watch|acc-1|k1', 'me acc-1 k1', 'clear revoke-watch|acc-1|k2', 'end acc-1 k2']);
    // Titled as the answer to the button, not as another new sign-in.
    expect(shown.at(-1)!.title).toBe('“End it” at ada on forum.example');
    expect(shown.at(-1)!.message).toBe('Ending the session on Firefox on Linux, Berlin at forum.example: done. It is gone.');
  });

  it('a click (Firefox: no buttons) leaves where to look, then opens the popup; other notifications open nothing', async () => {
    const calls: unknown[] = [];
    const notices = createWatchNotices({
      notifications: { create: async () => undefined, clear: async (id) => void calls.push(`clear ${id}`) },
      iconUrl: 'icon.png', buttons: false, openPopup: async () => void calls.push('popup'), pointAt: async (at) => void calls.push(at),
    });
    // The watch knows the alert k3 (the session it told about); k4 was answered meanwhile.
    const watch = { alertSession: async (a: string, k: string) => (a === 'acc-1' && k === 'k3' ? session : undefined) };
    await notices.onClick(watch, 'revoke-watch|acc-1|k3');
    expect(calls).toEqual(['clear revoke-watch|acc-1|k3', { accountId: 'acc-1', sessionId: 'token-like-secret' }, 'popup']);
    calls.length = 0;
    await notices.onClick(watch, 'revoke-watch|acc-1|k4');
    expect(calls).toEqual(['clear revoke-watch|acc-1|k4', { accountId: 'acc-1' }, 'popup']);
    calls.length = 0;
    await notices.onClick(watch, 'revoke-watch-rule|n1');
    await notices.onClick(watch, 'revoke/sign-out-everywhere');
    expect(calls).toEqual([]);
  });
});

describe('the notification hint', () => {

  it('is read once, by the next popup', async () => {
    const a = memoryArea();
    await leaveHint(a, { accountId: 'acc-1', sessionId: 's1' }, 1_000);
    expect(await takeHint(a, 2_000)).toEqual({ accountId: 'acc-1', sessionId: 's1' });
    expect(await takeHint(a, 2_000)).toBeNull();
    await leaveHint(a, { accountId: 'acc-1' }, 1_000);
    expect(await takeHint(a, 2_000)).toEqual({ accountId: 'acc-1' });
  });

  it('is dropped when old (the popup never opened) or malformed', async () => {
    const a = memoryArea();
    await leaveHint(a, { accountId: 'acc-1', sessionId: 's1' }, 1_000);
    expect(await takeHint(a, 1_000 + NOTICE_HINT_TTL_MS + 1)).toBeNull();
    expect(a.data.size).toBe(0);
    a.data.set(NOTICE_HINT_KEY, { sessionId: 's1', at: 1_000 });
    expect(await takeHint(a, 1_000)).toBeNull();
    expect(a.data.size).toBe(0);
  });
});
