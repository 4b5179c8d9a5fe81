import { describe, expect, it } from 'vitest';
import { accountName } from '../../src/sessions/account-name';

const account = { label: 'Work app', origin: 'https://app.example.com' };

describe('accountName', () => {
  it('is the account as the service knows it, then the site', () => {
    expect(accountName(account, 'demo@revoke.test')).toBe('demo@revoke.test on app.example.com');
  });

  it('uses the last check when no fresh look is given', () => {
    expect(accountName({ ...account, lastCheck: { at: 1, whoami: { account: 'ann' } } })).toBe('ann on app.example.com');
  });

  it('a fresh look wins over the last check', () => {
    expect(accountName({ ...account, lastCheck: { at: 1, whoami: { account: 'old' } } }, 'new')).toBe('new on app.example.com');
  });

  it('falls back to the label when signed out, failing or never checked', () => {
    expect(accountName(account)).toBe('Work app on app.example.com');
    expect(accountName({ ...account, lastCheck: { at: 1, whoami: null } })).toBe('Work app on app.example.com');
    expect(accountName({ ...account, lastCheck: { at: 1, failure: { kind: 'offline', message: 'x' } } })).toBe('Work app on app.example.com');
    expect(accountName(account, null)).toBe('Work app on app.example.com');
  });

  it('keeps the name a check last found signed in while it is signed out or failing (user trial: it turned back into the label)', () => {
    const known = { ...account, knownAs: 'ann' };
    expect(accountName({ ...known, lastCheck: { at: 2, whoami: null } })).toBe('ann on app.example.com');
    expect(accountName({ ...known, lastCheck: { at: 2, failure: { kind: 'offline', message: 'x' } } }, null)).toBe('ann on app.example.com');
    expect(accountName({ ...known, lastCheck: { at: 2, whoami: { account: 'bob' } } })).toBe('bob on app.example.com');
  });

  it('takes a who-am-I that is only the host (a site that cannot name the account) as unknown', () => {
    expect(accountName({ label: 'Any site', origin: 'http://127.0.0.2:8080' }, '127.0.0.2:8080')).toBe('Any site on 127.0.0.2:8080');
  });

  it('does not repeat a host the label already names, and keeps the port', () => {
    expect(accountName({ label: 'Apps built on better-auth (127.0.0.1:8788)', origin: 'http://127.0.0.1:8788' }))
      .toBe('Apps built on better-auth (127.0.0.1:8788)');
    expect(accountName({ label: 'Demo', origin: 'http://127.0.0.1:8788' }, 'x')).toBe('x on 127.0.0.1:8788');
  });
});
