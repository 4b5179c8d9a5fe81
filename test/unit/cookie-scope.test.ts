import { describe, expect, it } from 'vitest';
import { isSentBy, sharedDomain, type CookieScope } from '../../src/lib/cookie-scope';

const hostOnly = (domain: string, more: Partial<CookieScope> = {}): CookieScope => ({ domain, hostOnly: true, secure: false, ...more });
const domainCookie = (domain: string, more: Partial<CookieScope> = {}): CookieScope => ({ domain, hostOnly: false, secure: false, ...more });

describe('which cookies an origin’s pages send', () => {
  const app = 'https://app.example.com';

  it('takes host-only cookies of the exact host only', () => {
    expect(isSentBy(app, hostOnly('app.example.com'))).toBe(true);
    expect(isSentBy(app, hostOnly('example.com'))).toBe(false);
    expect(isSentBy(app, hostOnly('mail.example.com'))).toBe(false);
    expect(isSentBy(app, hostOnly('x.app.example.com'))).toBe(false);
  });

  it('takes domain cookies of the host and its parents, never of a sibling or a child', () => {
    expect(isSentBy(app, domainCookie('.app.example.com'))).toBe(true);
    expect(isSentBy(app, domainCookie('.example.com'))).toBe(true);
    expect(isSentBy(app, domainCookie('example.com'))).toBe(true); // no leading dot: still a domain cookie
    expect(isSentBy(app, domainCookie('.mail.example.com'))).toBe(false);
    expect(isSentBy(app, domainCookie('.x.app.example.com'))).toBe(false);
    expect(isSentBy(app, domainCookie('.pp.example.com'))).toBe(false); // a suffix that is not a label boundary
    expect(isSentBy('https://alice.github.io', domainCookie('.bob.github.io'))).toBe(false);
  });

  it('ignores ports and case', () => {
    expect(isSentBy('http://APP.example.com:8080', hostOnly('app.example.com'))).toBe(true);
    expect(isSentBy('http://app.example.com:81', domainCookie('.Example.COM'))).toBe(true);
  });

  it('sends Secure cookies to https and to loopback hosts only', () => {
    expect(isSentBy('https://app.example.com', hostOnly('app.example.com', { secure: true }))).toBe(true);
    expect(isSentBy('http://app.example.com', hostOnly('app.example.com', { secure: true }))).toBe(false);
    expect(isSentBy('http://app.localhost:3000', hostOnly('app.localhost', { secure: true }))).toBe(true);
    expect(isSentBy('http://127.0.0.1:3000', hostOnly('127.0.0.1', { secure: true }))).toBe(true);
    expect(isSentBy('http://app.example.com', hostOnly('app.example.com'))).toBe(true);
  });

  it('matches IP hosts exactly, even for a cookie marked as a domain cookie', () => {
    expect(isSentBy('http://127.0.0.1:8788', hostOnly('127.0.0.1'))).toBe(true);
    expect(isSentBy('http://127.0.0.1', domainCookie('0.0.1'))).toBe(false);
    expect(isSentBy('http://127.0.0.2', hostOnly('127.0.0.1'))).toBe(false);
    expect(isSentBy('http://[::1]:8080', hostOnly('[::1]'))).toBe(true);
    expect(isSentBy('http://[::1]:8080', hostOnly('::1'))).toBe(true);
  });

  it('takes partitioned cookies only from the origin’s own top-level site', () => {
    expect(isSentBy(app, hostOnly('app.example.com', { secure: true, partitionKey: { topLevelSite: 'https://example.com' } }))).toBe(true);
    expect(isSentBy(app, hostOnly('app.example.com', { secure: true, partitionKey: { topLevelSite: 'https://news.test' } }))).toBe(false);
    expect(isSentBy(app, hostOnly('app.example.com', { secure: true, partitionKey: {} }))).toBe(true);
  });

  it('leaves path out: every path is one of the origin’s pages (the adapter finds them, the rule keeps them)', () => {
    expect(isSentBy(app, { ...hostOnly('app.example.com'), path: '/admin' } as CookieScope)).toBe(true);
  });
});

describe('shared parent-domain cookies', () => {
  it('names the parent domain of a domain cookie above the host, and nothing for the host’s own', () => {
    expect(sharedDomain('http://app.example.com:81', domainCookie('.example.com'))).toBe('example.com');
    expect(sharedDomain('http://app.example.com', domainCookie('.app.example.com'))).toBeNull();
    expect(sharedDomain('http://app.example.com', hostOnly('app.example.com'))).toBeNull();
    expect(sharedDomain('http://a.b.example.com', domainCookie('.b.example.com'))).toBe('b.example.com');
  });
});
