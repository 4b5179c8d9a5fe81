import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { ConnectorMeta } from '../../src/connectors/types';
import { createAccountStore, isLoopbackHost, normaliseInstanceUrl, type NewAccount } from '../../src/sessions/accounts';
import { DEFAULT_SESSIONS_DB_NAME, SESSIONS_DB_VERSION, openSessionsDb, sessionsConnection } from '../../src/sessions/db';
import { SessionsError } from '../../src/sessions/types';

let dbCounter = 0;
const freshName = () => `sessions-accounts-${++dbCounter}-${Math.random().toString(36).slice(2)}`;

const can = { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true };
const META: Record<string, ConnectorMeta> = {
  'better-auth': {
    id: 'better-auth', name: 'better-auth app', origins: [], can,
    instanceUrl: { label: 'Auth base URL', placeholder: 'https://example.com/api/auth', help: '' },
    manageUrl: (a) => `${a.instanceUrl}/sessions`,
  },
  discourse: {
    id: 'discourse', name: 'Discourse', origins: [], can,
    instanceUrl: { label: 'Forum address', placeholder: 'https://forum.example.org', help: '' },
    manageUrl: (a) => `${a.instanceUrl}/my/preferences/security`,
  },
  github: { id: 'github', name: 'GitHub', origins: ['https://github.com', 'https://gist.github.com'], can, manageUrl: () => 'https://github.com/settings/sessions' },
};

function makeStore(name = freshName()) {
  let id = 0;
  let clock = 1_000;
  const db = sessionsConnection(() => openSessionsDb(name));
  const store = createAccountStore({
    db,
    connectorById: (cid) => (META[cid] ? { meta: META[cid] } : undefined),
    now: () => clock++,
    newId: () => `acct-${++id}`,
  });
  return { store, db, name };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SessionsError);
    return { code: (e as SessionsError).code, message: (e as SessionsError).message };
  }
  throw new Error('expected a SessionsError, but the call succeeded');
}

function refusalSync(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SessionsError);
    return (e as SessionsError).code;
  }
  throw new Error('expected a SessionsError');
}

describe('normaliseInstanceUrl', () => {
  it.each([
    ['https://Forum.Example.org/', 'https://forum.example.org', 'https://forum.example.org'],
    ['  https://example.com/api/auth///  ', 'https://example.com/api/auth', 'https://example.com'],
    ['https://example.com:443/x', 'https://example.com/x', 'https://example.com'],
    ['https://example.com:8443/a/../b', 'https://example.com:8443/b', 'https://example.com:8443'],
    ['forum.example.org', 'https://forum.example.org', 'https://forum.example.org'],
    ['https://example.com/?', 'https://example.com', 'https://example.com'],
    ['http://localhost:3000/api/auth', 'http://localhost:3000/api/auth', 'http://localhost:3000'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[::1]:9000/', 'http://[::1]:9000', 'http://[::1]:9000'],
    ['http://app.localhost', 'http://app.localhost', 'http://app.localhost'],
    // Typed as the address bar shows an http page on loopback: http, as the browser would load it.
    ['127.0.0.1:8788', 'http://127.0.0.1:8788', 'http://127.0.0.1:8788'],
    ['localhost:3000/api/auth', 'http://localhost:3000/api/auth', 'http://localhost:3000'],
    ['[::1]:9000', 'http://[::1]:9000', 'http://[::1]:9000'],
    ['app.localhost', 'http://app.localhost', 'http://app.localhost'],
    ['127.0.0.1.example.com', 'https://127.0.0.1.example.com', 'https://127.0.0.1.example.com'],
    ['https://localhost:8443', 'https://localhost:8443', 'https://localhost:8443'],
  ])('%s -> %s', (input, instanceUrl, origin) => {
    expect(normaliseInstanceUrl(input)).toEqual({ instanceUrl, origin });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['http://example.com', 'plain http off loopback'],
    ['http://10.0.0.1', 'plain http on a private address'],
    ['http://127.0.0.1.evil.com', 'a host that only starts like loopback'],
    ['https://user:pass@example.com', 'credentials'],
    ['https://user@example.com', 'a user name'],
    ['https://example.com/?next=/', 'a query'],
    ['https://example.com/#top', 'a fragment'],
    ['ftp://example.com', 'another scheme'],
    ['javascript:alert(1)', 'javascript'],
    ['file:///etc/passwd', 'file'],
    ['https://', 'no host'],
    ['https://exa mple.com', 'a space in the host'],
    [`https://example.com/${'a'.repeat(3000)}`, 'too long'],
    ['https://com', 'a top-level domain'],
    ['co.uk', 'a public suffix of two labels'],
    ['https://github.io', 'a public suffix from the private section'],
    ['https://a..b', 'an empty label'],
    ['https://.example.com', 'a leading dot'],
    ['https://not%20a%20url', 'a percent-encoded host (how Chromium parses "not a url")'],
    ['https://-bad-.example.com', 'a label starting with a hyphen'],
    [`https://${'a'.repeat(64)}.example.com`, 'a label over 63 characters'],
  ])('refuses %j (%s)', (input) => {
    expect(refusalSync(() => normaliseInstanceUrl(input))).toBe('invalid-input');
  });

  it('says what to type instead of a public suffix or a broken host', () => {
    const message = (input: string) => {
      try {
        normaliseInstanceUrl(input);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error(`accepted ${input}`);
    };
    expect(message('https://co.uk')).toMatch(/“co\.uk” is shared by many unrelated sites.*like https:\/\/forum\.co\.uk/);
    expect(message('https://a..b')).toMatch(/empty part.*like https:\/\/forum\.example\.org/);
    expect(message('https://not%20a%20url')).toMatch(/not a web address/);
  });

  it.each([
    ['alice.github.io', 'https://alice.github.io'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['https://nas', 'https://nas'],
    ['https://192.168.1.10:8443', 'https://192.168.1.10:8443'],
    ['https://[2001:db8::5]', 'https://[2001:db8::5]'],
    ['https://my_host.example.com', 'https://my_host.example.com'],
  ])('accepts the site %j', (input, origin) => {
    expect(normaliseInstanceUrl(input).origin).toBe(origin);
  });

  it('knows loopback hosts', () => {
    expect(['localhost', 'a.localhost', '127.0.0.1', '127.1.2.3', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['example.com', '128.0.0.1', 'localhost.example.com', '::1'].some(isLoopbackHost)).toBe(false);
  });
});

describe('account store', () => {
  it('links an instance-based account with the origin derived from the URL', async () => {
    const { store } = makeStore();
    const account = await store.add({ connectorId: 'better-auth', instanceUrl: 'https://App.example.com/api/auth/', label: ' Work ' });
    expect(account).toEqual({
      id: 'acct-1', connectorId: 'better-auth', origin: 'https://app.example.com',
      instanceUrl: 'https://app.example.com/api/auth', label: 'Work', settings: {}, linkedAt: 1_000,
    });
    expect(await store.list()).toEqual([account]);
    expect(await store.get('acct-1')).toEqual(account);
  });

  it('gives a default label when none is given', async () => {
    const { store } = makeStore();
    expect((await store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org' })).label).toBe('Discourse (forum.example.org)');
    expect((await store.add({ connectorId: 'github', label: '' })).label).toBe('GitHub');
  });

  it('marks the label it gave (said in the reader\'s language when shown), and drops the mark once the person names the account', async () => {
    const { store } = makeStore();
    const given = await store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org' });
    expect(given.labelIsDefault).toBe(true);
    expect((await store.add({ connectorId: 'github', label: 'Discourse (forum.example.org)' })).labelIsDefault).toBeUndefined();
    const named = await store.update(given.id, { label: 'Forum' });
    expect(named.labelIsDefault).toBeUndefined();
    expect((await store.get(given.id))?.labelIsDefault).toBeUndefined();
  });

  it('marks, once, accounts linked before the mark whose label is still exactly the one it gave', async () => {
    const { store, db } = makeStore();
    const old = await store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org' });
    const typed = await store.add({ connectorId: 'better-auth', instanceUrl: 'https://app.example.com/api/auth', label: 'better-auth app' });
    const renamed = await store.add({ connectorId: 'github', label: 'Discourse (forum.example.org)' });
    // As stored before labelIsDefault existed.
    const { labelIsDefault: _, ...unmarked } = old;
    await (await db()).put('accounts', unmarked);
    expect(await store.markDefaultLabels()).toBe(1);
    expect((await store.get(old.id))?.labelIsDefault).toBe(true);
    expect((await store.get(typed.id))?.labelIsDefault).toBeUndefined();
    expect((await store.get(renamed.id))?.labelIsDefault).toBeUndefined();
    expect(await store.markDefaultLabels()).toBe(0);
  });

  it('takes a hosted service at one of its own origins only', async () => {
    const { store } = makeStore();
    const a = await store.add({ connectorId: 'github', label: 'Me' });
    expect(a.origin).toBe('https://github.com');
    expect(a.instanceUrl).toBeUndefined();
    const b = await store.add({ connectorId: 'github', origin: 'https://gist.github.com/', label: 'Gists' });
    expect(b.origin).toBe('https://gist.github.com');
    expect((await refusal(store.add({ connectorId: 'github', origin: 'https://evil.example', label: 'x' }))).code).toBe('invalid-input');
    expect((await refusal(store.add({ connectorId: 'github', instanceUrl: 'https://github.com', label: 'x' }))).code).toBe('invalid-input');
  });

  it.each<[string, NewAccount]>([
    ['an unknown connector', { connectorId: 'nope', instanceUrl: 'https://a.example', label: 'x' }],
    ['a malformed connector id', { connectorId: 'Bad Id!', instanceUrl: 'https://a.example', label: 'x' }],
    ['no instance URL where one is needed', { connectorId: 'discourse', label: 'x' }],
    ['an instance URL that is refused', { connectorId: 'discourse', instanceUrl: 'http://forum.example.org', label: 'x' }],
    ['an origin that does not match the URL', { connectorId: 'discourse', instanceUrl: 'https://a.example', origin: 'https://b.example', label: 'x' }],
    ['a label that is not text', { connectorId: 'discourse', instanceUrl: 'https://a.example', label: 42 as unknown as string }],
    ['a label that is too long', { connectorId: 'discourse', instanceUrl: 'https://a.example', label: 'x'.repeat(201) }],
    ['a setting that is not text', { connectorId: 'discourse', instanceUrl: 'https://a.example', label: 'x', settings: { logoutUrl: 1 as unknown as string } }],
    ['a setting with a bad name', { connectorId: 'discourse', instanceUrl: 'https://a.example', label: 'x', settings: { 'bad name': 'v' } }],
  ])('refuses %s', async (_, input) => {
    const { store } = makeStore();
    expect((await refusal(store.add(input))).code).toBe('invalid-input');
    expect(await store.list()).toEqual([]);
  });

  it('refuses a second link of the same connector and instance, however the URL is written', async () => {
    const { store } = makeStore();
    await store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org', label: 'A' });
    const again = await refusal(store.add({ connectorId: 'discourse', instanceUrl: 'HTTPS://FORUM.example.org:443/', label: 'B' }));
    expect(again.code).toBe('duplicate');
    // Named as every page names an account: the account (here its label, no check yet), then the site.
    expect(again.message).toBe('A on forum.example.org is already linked.');
    // Same instance through another connector, or another path on the same origin: different links.
    await store.add({ connectorId: 'better-auth', instanceUrl: 'https://forum.example.org', label: 'C' });
    await store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org/other', label: 'D' });
    expect((await store.list()).map((a) => a.label)).toEqual(['A', 'C', 'D']);
  });

  it('refuses duplicates even when two links are added at once', async () => {
    const { store } = makeStore();
    const results = await Promise.allSettled([
      store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org', label: 'A' }),
      store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org/', label: 'B' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await store.list()).toHaveLength(1);
  });

  it('updates the label and settings only', async () => {
    const { store } = makeStore();
    const a = await store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org', label: 'A' });
    const b = await store.update(a.id, { label: ' Forum ', settings: { logoutUrl: 'https://forum.example.org/logout' } });
    expect(b).toEqual({ ...a, label: 'Forum', settings: { logoutUrl: 'https://forum.example.org/logout' } });
    const c = await store.update(a.id, { origin: 'https://evil.example' } as never);
    expect(c.origin).toBe('https://forum.example.org');
    expect((await refusal(store.update(a.id, { label: '' }))).code).toBe('invalid-input');
    expect((await refusal(store.update('missing', { label: 'x' }))).code).toBe('not-found');
    expect(await store.get(a.id)).toEqual(b);
  });

  it('removes an account and its cached result, and keeps the audit trail', async () => {
    const { store, db } = makeStore();
    const a = await store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org', label: 'A' });
    const raw = await db();
    await raw.put('cache', { accountId: a.id, at: 5, result: { state: 'signed-out' } });
    await raw.add('audit', {
      id: 'r1', at: 5, accountId: a.id, accountLabel: 'A', connectorId: 'discourse', origin: a.origin,
      action: 'local-sign-out', outcome: { status: 'confirmed', seen: 'ok' }, reason: { kind: 'other' },
    });
    expect(await store.remove(a.id)).toEqual(a);
    expect(await store.list()).toEqual([]);
    expect(await raw.get('cache', a.id)).toBeUndefined();
    expect(await raw.count('audit')).toBe(1);
    expect((await refusal(store.remove(a.id))).code).toBe('not-found');
  });

  it('lists oldest link first and skips malformed records', async () => {
    const { store, db } = makeStore();
    await store.add({ connectorId: 'discourse', instanceUrl: 'https://one.example', label: 'One' });
    await store.add({ connectorId: 'discourse', instanceUrl: 'https://two.example', label: 'Two' });
    await (await db()).put('accounts', { id: 'broken', connectorId: 'discourse' } as never);
    expect((await store.list()).map((a) => a.label)).toEqual(['One', 'Two']);
    expect(await store.get('broken')).toBeUndefined();
  });

  it('keeps accounts across connections, in its own versioned database', async () => {
    const name = freshName();
    const first = makeStore(name);
    const a = await first.store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org', label: 'A' });
    (await first.db()).close();
    const second = makeStore(name);
    expect(await second.store.list()).toEqual([a]);
    const raw = await openDB(name);
    expect(raw.version).toBe(SESSIONS_DB_VERSION);
    expect([...raw.objectStoreNames].sort()).toEqual(['accounts', 'audit', 'cache', 'journal', 'watch']);
    const tx = raw.transaction('audit');
    expect([...tx.store.indexNames].sort()).toEqual(['by-account', 'by-at']);
    raw.close();
    expect(DEFAULT_SESSIONS_DB_NAME).toBe('revoke-sessions');
  });

  it('steps aside for a newer version opened elsewhere, and opens again on next use', async () => {
    const name = freshName();
    const { store } = makeStore(name);
    await store.add({ connectorId: 'discourse', instanceUrl: 'https://forum.example.org', label: 'A' });
    // Another context upgrades: ours closes itself, and the upgrade is not blocked.
    const newer = await openDB(name, SESSIONS_DB_VERSION + 1);
    newer.close();
    // Next use opens again (and, the database being newer than this code, says so rather than reading it).
    await expect(store.list()).rejects.toMatchObject({ name: 'VersionError' });
  });
});
