import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/connectors/types';
import { DEFAULT_RULES, planRules, rulesFor, sanitizeRules, type AccountRules } from '../../src/sessions/rules';

const NOW = Date.UTC(2026, 10, 27, 12);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const s = (id: string, fields: Partial<Session> = {}): Session => ({ id, current: false, extra: {}, ...fields });
const rules = (r: Partial<AccountRules>): AccountRules => ({ ...DEFAULT_RULES, ...r });
const look = (sessions: Session[] | null, newSignIns: Session[] = []) => ({ sessions, newSignIns, signedIn: true });

describe('sanitizeRules', () => {
  it('is all off by default and for anything malformed', () => {
    expect(sanitizeRules(undefined)).toEqual({ inactiveDays: null, unrecognised: 'notify', signOutOnStart: false, signOutAfterHours: null });
    expect(sanitizeRules({ inactiveDays: 'x', unrecognised: 'nuke', signOutOnStart: 'yes', signOutAfterHours: NaN })).toEqual(DEFAULT_RULES);
  });
  it('keeps whole numbers within limits', () => {
    expect(sanitizeRules({ inactiveDays: 0, signOutAfterHours: '12.4' })).toMatchObject({ inactiveDays: 1, signOutAfterHours: 12 });
  });
});

describe('planRules', () => {
  it('does nothing with the default rules', () => {
    const old = s('old', { lastActiveAt: NOW - 400 * DAY });
    expect(planRules(DEFAULT_RULES, look([old], [old]), NOW, 'startup')).toEqual([]);
  });

  it('ends sessions inactive for more than N days, not a fresh one, not one without a time, never this browser', () => {
    const stale = s('stale', { lastActiveAt: NOW - 31 * DAY });
    const fresh = s('fresh', { lastActiveAt: NOW - 29 * DAY });
    const exactly = s('exactly', { lastActiveAt: NOW - 30 * DAY });
    const unknown = s('unknown');
    const mine = s('mine', { current: true, lastActiveAt: NOW - 90 * DAY });
    const actions = planRules(rules({ inactiveDays: 30 }), look([stale, fresh, exactly, unknown, mine]), NOW, 'schedule');
    expect(actions).toEqual([{ kind: 'end', session: stale, cause: { rule: 'inactive', days: 30 } }]);
  });

  it('ends new sign-ins from unrecognised devices only when told to, and each session once', () => {
    const stranger = s('x', { lastActiveAt: NOW - 40 * DAY });
    expect(planRules(rules({ unrecognised: 'notify' }), look([stranger], [stranger]), NOW, 'schedule')).toEqual([]);
    expect(planRules(rules({ unrecognised: 'end' }), look([stranger], [stranger]), NOW, 'schedule'))
      .toEqual([{ kind: 'end', session: stranger, cause: { rule: 'unrecognised' } }]);
    const both = planRules(rules({ unrecognised: 'end', inactiveDays: 30 }), look([stranger], [stranger]), NOW, 'schedule');
    expect(both).toEqual([{ kind: 'end', session: stranger, cause: { rule: 'inactive', days: 30 } }]);
  });

  it('signs this browser out on start only when the browser starts', () => {
    const mine = s('mine', { current: true, createdAt: NOW - HOUR });
    expect(planRules(rules({ signOutOnStart: true }), look([mine]), NOW, 'schedule')).toEqual([]);
    expect(planRules(rules({ signOutOnStart: true }), look([mine]), NOW, 'startup'))
      .toEqual([{ kind: 'sign-out-here', session: mine, cause: { rule: 'on-start' } }]);
    // A service that lists no sessions: this browser is still signed out (through its cookies).
    expect(planRules(rules({ signOutOnStart: true }), look(null), NOW, 'startup')).toEqual([{ kind: 'sign-out-here', cause: { rule: 'on-start' } }]);
  });

  it('runs only the start rule when the browser starts: the others act with the audits', () => {
    const mine = s('mine', { current: true, createdAt: NOW - 100 * HOUR });
    const stale = s('stale', { lastActiveAt: NOW - 90 * DAY });
    const stranger = s('stranger');
    const all = rules({ signOutOnStart: true, inactiveDays: 30, unrecognised: 'end', signOutAfterHours: 8 });
    expect(planRules(all, look([mine, stale, stranger], [stranger]), NOW, 'startup'))
      .toEqual([{ kind: 'sign-out-here', session: mine, cause: { rule: 'on-start' } }]);
    expect(planRules({ ...all, signOutOnStart: false }, look([mine, stale, stranger], [stranger]), NOW, 'startup')).toEqual([]);
    // The same look on a schedule runs them.
    expect(planRules({ ...all, signOutOnStart: false }, look([mine, stale, stranger], [stranger]), NOW, 'schedule')).toHaveLength(3);
  });

  it('signs this browser out when its session is older than N hours, by the service’s own time', () => {
    const r = rules({ signOutAfterHours: 8 });
    const old = s('mine', { current: true, createdAt: NOW - 9 * HOUR });
    expect(planRules(r, look([old]), NOW, 'schedule')).toEqual([{ kind: 'sign-out-here', session: old, cause: { rule: 'older-than', hours: 8 } }]);
    expect(planRules(r, look([s('mine', { current: true, createdAt: NOW - 7 * HOUR })]), NOW, 'schedule')).toEqual([]);
    expect(planRules(r, look([s('mine', { current: true })]), NOW, 'schedule')).toEqual([]);
    // Another session's age is not this browser's.
    expect(planRules(r, look([s('other', { createdAt: NOW - 100 * HOUR })]), NOW, 'schedule')).toEqual([]);
  });

  it('keeps “older than N hours” only for a connector that dates this browser’s session', () => {
    const r = rules({ signOutAfterHours: 8, inactiveDays: 30 });
    expect(rulesFor(r, { list: true, sessionStart: true })).toEqual(r);
    expect(rulesFor(r, { list: true })).toEqual({ ...r, signOutAfterHours: null });
  });

  it('keeps the rules about other sessions only for a connector whose list holds them', () => {
    const r = rules({ inactiveDays: 30, unrecognised: 'end', signOutOnStart: true, signOutAfterHours: 8 });
    const thisBrowserOnly = { ...r, inactiveDays: null, unrecognised: 'notify' as const };
    expect(rulesFor(r, { list: true, onlyThisBrowser: true, sessionStart: true })).toEqual(thisBrowserOnly);
    // A sign-in provider lists nothing: only the rules about this browser stay.
    expect(rulesFor(r, { list: false })).toEqual({ ...thisBrowserOnly, signOutAfterHours: null });
    expect(rulesFor(r, undefined)).toEqual({ ...thisBrowserOnly, signOutAfterHours: null });
  });

  it('does nothing where this browser is not signed in', () => {
    const r = rules({ signOutOnStart: true, inactiveDays: 1 });
    expect(planRules(r, { sessions: [s('old', { lastActiveAt: 0 })], newSignIns: [], signedIn: false }, NOW, 'startup')).toEqual([]);
  });
});
