/** The one sentence the options and welcome pages give for where a linked account stands. */
import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/connectors/types';
import { describeResult } from '../../src/ui/account-result';

const own: Session = { id: 'a', current: true, extra: {} };
const ok = { state: 'ok' as const, fetchedAt: 0, whoami: { account: 'ada@example.test' } };

describe('describeResult', () => {
  it('counts the listed sessions', () => {
    expect(describeResult({ ...ok, sessions: [own, { ...own, id: 'b', current: false }] })).toEqual({ kind: 'okay', text: 'Signed in as ada@example.test · 2 sessions.' });
  });

  it('says there are more where the service mentions sessions it does not list (WordPress)', () => {
    expect(describeResult({ ...ok, sessions: [own], unlisted: 'some' })).toEqual({ kind: 'okay', text: 'Signed in as ada@example.test · 1 session, and others the site does not list.' });
  });

  it('never counts "1 session" where the service hides the others: it says why, as a notice', () => {
    const r = describeResult({ ...ok, sessions: [own], hidden: { key: 'connErr_baFresh', subs: ['app.test'] } });
    expect(r.kind).toBe('notice');
    expect(r.text).toBe('Signed in as ada@example.test. app.test shows your other sessions only to a sign-in less than a day old (better-auth’s default). Sign in there again to see the other sessions.');
    expect(r.text).not.toMatch(/1 session/);
  });
});
