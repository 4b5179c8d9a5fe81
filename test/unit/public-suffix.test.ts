/**
 * The compact public-suffix list against tldts (the data it was built from): every rule, its
 * wildcard and exception neighbours, and random hosts must get the same answer to "is this host
 * itself a public suffix" and the same listed suffix.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'tldts';
import fc from 'fast-check';
import { isPublicSuffix, listedPublicSuffix, parseTrie } from '../../src/lib/public-suffix';
import { encodeList, rulesFromTldts, tldtsTrieSource } from '../../scripts/public-suffix-list';

const list = rulesFromTldts(tldtsTrieSource());
const ascii = (name: string) => !/[^\x20-\x7e]/.test(name);

function tldtsSays(host: string) {
  const { publicSuffix, isIcann, isPrivate } = parse(host, { allowPrivateDomains: true });
  return { listed: isIcann || isPrivate ? publicSuffix : null, isSuffix: (isIcann || isPrivate) === true && publicSuffix === host };
}

function expectSame(hosts: string[]) {
  const differ = hosts.filter((h) => {
    const t = tldtsSays(h);
    return t.isSuffix !== isPublicSuffix(h) || t.listed !== listedPublicSuffix(h);
  });
  expect(differ.slice(0, 10).map((h) => [h, tldtsSays(h), listedPublicSuffix(h)])).toEqual([]);
}

describe('public-suffix list', () => {
  it('reads the whole list from tldts: thousands of rules, wildcards, exceptions, both sections', () => {
    expect(list.rules.length).toBeGreaterThan(9000);
    expect(list.rules).toEqual(expect.arrayContaining(['com', 'co.uk', 'github.io', '*.ck', '*.kawasaki.jp', 'xn--p1ai']));
    expect(list.exceptions).toEqual(expect.arrayContaining(['www.ck', 'city.kawasaki.jp']));
  });

  it('answers the known cases', () => {
    for (const host of ['com', 'co.uk', 'github.io', 'anything.ck', 'foo.kawasaki.jp', 'xn--p1ai', 's3.amazonaws.com']) expect(isPublicSuffix(host), host).toBe(true);
    for (const host of ['example.com', 'alice.github.io', 'www.ck', 'city.kawasaki.jp', 'localhost', 'nosuchtld', 'a.b.example.co.uk']) expect(isPublicSuffix(host), host).toBe(false);
    expect(listedPublicSuffix('www.ck')).toBe('ck');
    expect(listedPublicSuffix('a.city.kawasaki.jp')).toBe('kawasaki.jp');
    expect(listedPublicSuffix('x.y.foo.kawasaki.jp')).toBe('foo.kawasaki.jp');
    expect(listedPublicSuffix('foo.nosuchtld')).toBeNull();
  });

  it('agrees with tldts on every rule, with a label added or (for wildcards) filled in, and on each parent', () => {
    const hosts = new Set<string>();
    for (const rule of [...list.rules, ...list.exceptions].filter(ascii)) {
      const filled = rule.replace(/\*/g, 'wild');
      hosts.add(filled).add(`sub.${filled}`).add(`a.b.${filled}`);
      const parent = filled.slice(filled.indexOf('.') + 1);
      if (parent !== filled) hosts.add(parent);
    }
    expect(hosts.size).toBeGreaterThan(25_000);
    expectSame([...hosts]);
  });

  it('agrees with tldts on random hosts made of the list\'s labels', () => {
    const labels = [...new Set(list.rules.filter(ascii).flatMap((r) => r.split('.')).filter((l) => l !== '*'))];
    const label = fc.oneof(fc.constantFrom(...labels), fc.constantFrom('www', 'city', 'example', 'a'));
    fc.assert(fc.property(fc.array(label, { minLength: 1, maxLength: 5 }), (parts) => {
      const host = parts.join('.');
      const t = tldtsSays(host);
      expect([isPublicSuffix(host), listedPublicSuffix(host)]).toEqual([t.isSuffix, t.listed]);
    }), { numRuns: 20_000 });
  });

  it('encodes to a trie that round-trips: every rule a rule, and path-only labels marked', () => {
    const [rules] = encodeList({ rules: ['co.uk', 'uk', '*.ck', 'x.y.zz'], exceptions: [] }).split('|');
    expect(rules).toBe('?ck(*),uk(co),?zz(?y(x))');
    const trie = parseTrie(rules!);
    expect(trie.get('uk')?.rule).toBe(true);
    expect(trie.get('zz')?.rule).toBe(false);
    expect(trie.get('zz')?.kids?.get('y')?.kids?.get('x')?.rule).toBe(true);
  });
});
