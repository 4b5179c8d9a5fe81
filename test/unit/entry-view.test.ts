import { describe, expect, it } from 'vitest';
import { addedText, entryTitle, groupDigits, hostMatchesSite, matchesQuery, orderForSite } from '../../src/ui/entry-view';
import type { OtpEntry } from '../../src/vault/types';

const entry = (id: string, over: Partial<OtpEntry> = {}): OtpEntry => ({
  id, type: 'totp', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30, counter: 0,
  issuer: id, account: '', note: '', site: '', pinned: false, position: 0, createdAt: 0, updatedAt: 0, ...over,
});

describe('hostMatchesSite', () => {
  it('matches the site itself, www and subdomains, not look-alikes', () => {
    expect(hostMatchesSite('github.com', 'github.com')).toBe(true);
    expect(hostMatchesSite('www.github.com', 'github.com')).toBe(true);
    expect(hostMatchesSite('gist.github.com', 'github.com')).toBe(true);
    expect(hostMatchesSite('GitHub.com', 'github.com')).toBe(true);
    expect(hostMatchesSite('evilgithub.com', 'github.com')).toBe(false);
    expect(hostMatchesSite('github.com.evil.test', 'github.com')).toBe(false);
    expect(hostMatchesSite('github.com', '')).toBe(false);
  });
});

describe('orderForSite', () => {
  const list = [entry('a', { site: 'a.test' }), entry('b', { site: 'b.test' }), entry('c', { site: 'b.test' })];
  it('puts entries of the current site first and keeps stored order otherwise', () => {
    expect(orderForSite(list, 'login.b.test').map((e) => e.id)).toEqual(['b', 'c', 'a']);
    expect(orderForSite(list, null).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(orderForSite(list, 'other.test').map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('matchesQuery', () => {
  const e = entry('x', { issuer: 'GitHub', account: 'alice@example.com', note: 'work laptop', site: 'github.com' });
  it('needs every word somewhere, case-insensitively', () => {
    expect(matchesQuery(e, '')).toBe(true);
    expect(matchesQuery(e, 'git')).toBe(true);
    expect(matchesQuery(e, 'ALICE hub')).toBe(true);
    expect(matchesQuery(e, 'laptop')).toBe(true);
    expect(matchesQuery(e, 'alice bob')).toBe(false);
  });
});

describe('formatting', () => {
  it('groups digits for reading and leaves Steam codes whole', () => {
    expect(groupDigits('123456')).toBe('123 456');
    expect(groupDigits('1234567')).toBe('1234 567');
    expect(groupDigits('12345678')).toBe('1234 5678');
    expect(groupDigits('7W6CJ')).toBe('7W6CJ');
  });
  it('titles an entry by issuer, else account', () => {
    expect(entryTitle({ issuer: 'X', account: 'y' })).toBe('X');
    expect(entryTitle({ issuer: '', account: 'y' })).toBe('y');
    expect(entryTitle({ issuer: '', account: '' })).toBe('Unnamed');
  });
});

describe('addedText', () => {
  it('keeps the entry’s name next to a short-secret warning', () => {
    const warning = 'The secret is unusually short (10 characters): check that it was copied completely.';
    expect(addedText({ issuer: 'Bank', account: 'me' }, [warning])).toBe(`Added Bank. ${warning}`);
    expect(addedText({ issuer: '', account: 'me' }, [])).toBe('Added me.');
  });
});
