/**
 * The privacy policy names every place Revoke keeps something: each IndexedDB database and object
 * store, and each key of storage.local, storage.session and the pages' localStorage that src/
 * writes. The names are collected from the source, so a new store or key fails here until both
 * policies say what it holds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const sourcesUnder = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true })
  .flatMap((d) => (d.isDirectory() ? sourcesUnder(`${dir}/${d.name}`) : /\.tsx?$/.test(d.name) ? [`${dir}/${d.name}`] : []));

/** Constants named like keys that are not storage keys, and why (each must still exist: see below). */
const NOT_STORED: Record<string, string> = {
  'revoke-watch': 'the prefix of notification ids (src/background/watch-notices.ts)',
  'app-': 'the prefix of Mastodon’s application ids in its session list (src/connectors/mastodon.ts)',
  header: 'a record inside the `meta` store of the `revoke` database, named with it',
};

interface Found { databases: Set<string>; stores: Set<string>; keys: Set<string> }

/** What a source file names as a database, a store or a storage key. */
function namesIn(source: string, into: Found): void {
  const all = (re: RegExp) => [...source.matchAll(re)].map((m) => m[1]!);
  // const DEFAULT_DB_NAME = 'revoke'; export const DEFAULT_SESSIONS_DB_NAME = 'revoke-sessions';
  for (const n of all(/\b[A-Z_]*DB_NAME\s*=\s*'([^']+)'/g)) into.databases.add(n);
  // db.createObjectStore('watch', ...)
  for (const n of all(/createObjectStore\(\s*'([^']+)'/g)) into.stores.add(n);
  // const KEY = 'settings'; export const OVERVIEW_COPY_KEY = 'sessionsOverview'; const PREFIX = 'accountToken:';
  for (const n of all(/\b(?:[A-Z_]+_)?(?:KEY|PREFIX)\s*=\s*'([^']+)'/g)) into.keys.add(n);
  // storage.session.set({ clockSkew: skew }): a key written in place.
  for (const n of all(/\.set\(\{\s*([A-Za-z_$][\w$]*)\s*:/g)) into.keys.add(n);
  // session.get('clockSkew'), localStorage.setItem('x', ...)
  for (const n of all(/\b(?:session|local|area)\.get\(\s*'([^']+)'/g)) into.keys.add(n);
  for (const n of all(/setItem\(\s*'([^']+)'/g)) into.keys.add(n);
}

function collect(): Found {
  const found: Found = { databases: new Set(), stores: new Set(), keys: new Set() };
  for (const file of sourcesUnder('src')) namesIn(readFileSync(join(ROOT, file), 'utf8'), found);
  for (const n of Object.keys(NOT_STORED)) found.keys.delete(n);
  return found;
}

/** A name counts as named when the policy writes it as code: `name`, or `name…` for a prefix. */
const namedIn = (policy: string, name: string) => policy.includes('`' + name + '`') || (name.endsWith(':') && policy.includes('`' + name));

describe('the names collector', () => {
  it('finds databases, stores and keys in the shapes src/ writes them', () => {
    const found: Found = { databases: new Set(), stores: new Set(), keys: new Set() };
    namesIn(`
      export const DEFAULT_DB_NAME = 'db-a';
      db.createObjectStore('store-a', { keyPath: 'id' });
      const KEY = 'key-a';
      export const OTHER_KEY = 'key-b';
      const PREFIX = 'key-c:';
      await browser.storage.session.set({ keyD: value });
      const v = (await session.get('keyE')).keyE;
      localStorage.setItem('key-f', '1');
      await area.set({ [KEY]: next });`, found);
    expect(found).toEqual({
      databases: new Set(['db-a']), stores: new Set(['store-a']), keys: new Set(['key-a', 'key-b', 'key-c:', 'keyD', 'keyE', 'key-f']),
    });
  });
});

describe('the privacy policies', () => {
  const found = collect();
  const policies = { 'PRIVACY.md': readFileSync(join(ROOT, 'PRIVACY.md'), 'utf8'), 'PRIVACY.de.md': readFileSync(join(ROOT, 'PRIVACY.de.md'), 'utf8') };

  it('the scan found what Revoke is known to keep (it cannot pass by finding nothing)', () => {
    expect([...found.databases].sort()).toEqual(['revoke', 'revoke-sessions']);
    expect(found.stores.size).toBeGreaterThanOrEqual(7);
    expect([...found.stores]).toEqual(expect.arrayContaining(['entries', 'accounts', 'audit', 'watch', 'journal']));
    expect(found.keys.size).toBeGreaterThanOrEqual(14);
    expect([...found.keys]).toEqual(expect.arrayContaining(['settings', 'watch', 'panic', 'vaultKey', 'clockSkew', 'accountToken:', 'revoke:popup-tab']));
  });

  it('every exemption still names a constant in src/ (a stale one would hide a real key)', () => {
    const raw: Found = { databases: new Set(), stores: new Set(), keys: new Set() };
    for (const file of sourcesUnder('src')) namesIn(readFileSync(join(ROOT, file), 'utf8'), raw);
    for (const n of Object.keys(NOT_STORED)) expect(raw.keys, n).toContain(n);
  });

  for (const [file, policy] of Object.entries(policies)) {
    it(`${file} names every database, store and key src/ writes`, () => {
      const missing = [...found.databases, ...found.stores, ...found.keys].filter((n) => !namedIn(policy, n));
      expect(missing).toEqual([]);
    });
  }
});
