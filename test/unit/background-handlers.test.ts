import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { createVaultHandlers, dispatch, type RouterDeps } from '../../src/background/router';
import { createSessionHandlers, GRANT_WAIT_MS } from '../../src/background/session-handlers';
import { createGrantWaiter } from '../../src/background/grant-wait';
import { hostPermissionPatterns as permissionPatterns } from '../../src/lib/host-permissions';
import { createSettingsStore } from '../../src/background/settings';
import { createConnectorContext, type RawFetch } from '../../src/connectors/context';
import { connectorById } from '../../src/connectors/registry';
import { ConnectorError, type LinkedAccountRef, type LocalState } from '../../src/connectors/types';
import { isRequest } from '../../src/lib/messages';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, readAccountsWithCache, sessionsConnection, toCachedStatus } from '../../src/sessions/db';
import { accountView, connectorViewKey, type ConnectorView } from '../../src/background/account-view';
import { createSessionEngine } from '../../src/sessions/engine';
import { openVaultDb } from '../../src/vault/store';
import { Vault, memoryKeyCache } from '../../src/vault/vault';

let n = 0;
const fresh = (p: string) => `${p}-${++n}-${Math.random().toString(36).slice(2)}`;

function memoryArea() {
  const data = new Map<string, unknown>();
  return {
    get: async (k: string) => (data.has(k) ? { [k]: data.get(k) } : {}),
    set: async (items: Record<string, unknown>) => { for (const [k, v] of Object.entries(items)) data.set(k, v); },
  };
}

/** Cookies per origin host, as the browser would hold them; a host in `failing` cannot be read. */
function fakeLocalState(jar: Map<string, string[]>, failing = new Set<string>()): LocalState {
  return {
    cookieNames: async (origin) => {
      if (failing.has(new URL(origin).hostname)) throw new ConnectorError('offline', 'cannot look right now');
      return jar.get(new URL(origin).hostname) ?? [];
    },
    clear: async (origin) => {
      jar.delete(new URL(origin).hostname);
      return { shared: [] };
    },
  };
}

function sessionSetup(granted: Set<string>, fetch: RawFetch = () => Promise.reject(new TypeError('no network in this test'))) {
  const dbName = fresh('handlers-sessions');
  const db = sessionsConnection(() => openSessionsDb(dbName));
  const remembered: Record<string, ConnectorView>[] = [];
  const jar = new Map<string, string[]>();
  const failing = new Set<string>();
  const contextFor = (account: LinkedAccountRef, signal?: AbortSignal) => createConnectorContext({
    fetch, account, local: fakeLocalState(jar, failing), selectHtml: () => { throw new Error('unused'); }, ...(signal ? { signal } : {}),
  });
  const engine = createSessionEngine({ db, connectorById, contextFor });
  const accounts = createAccountStore({ db, connectorById });
  const removed: string[] = [];
  const released: string[] = [];
  const grantListeners = new Set<() => void>();
  const handlers = createSessionHandlers({
    engine, accounts,
    permissions: {
      contains: async (p) => granted.has(p),
      whenGranted: createGrantWaiter({
        contains: async (p) => granted.has(p),
        onAdded: (listener) => {
          grantListeners.add(listener);
          return () => grantListeners.delete(listener);
        },
      }),
      remove: async (p) => { removed.push(p); granted.delete(p); },
    },
    releaseOrigin: async (origin) => void released.push(origin),
    contextFor: (account) => contextFor(account),
    rememberConnectorViews: async (views) => void remembered.push(views),
  });
  /** The person answers the prompt with yes: the browser adds the grant and says so. */
  const grant = (pattern: string) => {
    granted.add(pattern);
    for (const listener of grantListeners) listener();
  };
  return { handlers, jar, failing, removed, released, accounts, grant, dbName, remembered };
}

describe('linking and unlinking accounts (least privilege)', () => {
  it('links once the grant arrives when the request came with the permission prompt, and not when it never does', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { handlers, accounts, grant } = sessionSetup(new Set());
      const linking = handlers['accounts/link']({ connectorId: 'generic', url: 'https://shop.example.com', settings: {}, awaitGrant: true });
      await vi.advanceTimersByTimeAsync(30_000);
      expect(await accounts.list()).toEqual([]);
      grant('https://shop.example.com/*');
      await expect(linking).resolves.toMatchObject({ account: { origin: 'https://shop.example.com' } });

      // Refused (the prompt said no): the wait gives up after its time, and nothing is linked.
      const refused = handlers['accounts/link']({ connectorId: 'generic', url: 'https://other.example.com', settings: {}, awaitGrant: true });
      const settled = expect(refused).rejects.toMatchObject({ code: 'forbidden' });
      await vi.advanceTimersByTimeAsync(GRANT_WAIT_MS);
      await settled;
      expect((await accounts.list()).map((a) => a.origin)).toEqual(['https://shop.example.com']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets a newer click on the same site supersede an older wait, so one link is made', async () => {
    const { handlers, accounts, grant } = sessionSetup(new Set());
    const first = handlers['accounts/link']({ connectorId: 'generic', url: 'https://shop.example.com', settings: {}, awaitGrant: true });
    const second = handlers['accounts/link']({ connectorId: 'generic', url: 'https://shop.example.com', settings: {}, awaitGrant: true });
    await expect(first).rejects.toMatchObject({ code: 'forbidden' });
    grant('https://shop.example.com/*');
    await expect(second).resolves.toMatchObject({ account: { origin: 'https://shop.example.com' } });
    expect(await accounts.list()).toHaveLength(1);
  });

  it('refuses to link a site whose host permission was not granted, and links nothing', async () => {
    const { handlers, accounts } = sessionSetup(new Set());
    await expect(handlers['accounts/link']({ connectorId: 'generic', url: 'https://shop.example.com', settings: {} }))
      .rejects.toMatchObject({ code: 'forbidden' });
    expect(await accounts.list()).toEqual([]);
  });

  it('links a granted site and reports what it found there', async () => {
    const { handlers, jar } = sessionSetup(new Set(permissionPatterns('https://shop.example.com')));
    jar.set('shop.example.com', ['session_id']);
    const { account, result } = await handlers['accounts/link']({ connectorId: 'generic', url: 'https://shop.example.com', settings: {} });
    expect(account.origin).toBe('https://shop.example.com');
    expect(result).toMatchObject({ state: 'ok', whoami: { account: 'shop.example.com' } });
    const [view] = await handlers['sessions/overview'](null);
    expect(view?.connector.name).toBe('Any site');
    expect(view?.result).toMatchObject({ state: 'ok' });
  });

  it('keeps each account\'s connector part for the popup, which builds the same overview from the database with it', async () => {
    const { handlers, jar, dbName, remembered } = sessionSetup(new Set([...permissionPatterns('https://shop.example.com'), ...permissionPatterns('https://mail.example.com')]));
    jar.set('shop.example.com', ['session_id']);
    await handlers['accounts/link']({ connectorId: 'generic', url: 'https://shop.example.com', settings: {} });
    await handlers['accounts/link']({ connectorId: 'generic', url: 'https://mail.example.com', settings: { logoutUrl: 'https://mail.example.com/logout' } });
    const overview = await handlers['sessions/overview'](null);
    const connectors = remembered.at(-1)!;
    expect(Object.keys(connectors)).toHaveLength(2);
    // What src/popup/local-overview.ts does, from its own connection to the database.
    const own = await openSessionsDb(dbName);
    const rows = await readAccountsWithCache(own);
    own.close();
    expect(rows.map((row) => accountView(toCachedStatus(row), connectors[connectorViewKey(row.account)]!))).toEqual(overview);
    // Capabilities may follow the settings: an account changed since is a miss (the popup then asks the worker).
    const mail = overview.find((v) => v.account.origin === 'https://mail.example.com')!;
    expect(connectors[connectorViewKey(mail.account)]).toEqual(mail.connector);
    expect(connectors[connectorViewKey({ ...mail.account, settings: {} })]).toBeUndefined();
  });

  it('keeps showing the last known sessions, with their age, while a site cannot be checked', async () => {
    const { handlers, jar, failing } = sessionSetup(new Set(permissionPatterns('https://shop.example.com')));
    jar.set('shop.example.com', ['session_id']);
    await handlers['accounts/link']({ connectorId: 'generic', url: 'https://shop.example.com', settings: {} });
    failing.add('shop.example.com');
    const [down] = await handlers['sessions/refresh'](null);
    expect(down?.result).toMatchObject({ state: 'error', kind: 'offline' });
    expect(down?.lastKnown?.sessions).toHaveLength(1);
    const [again] = await handlers['sessions/refresh'](null); // still failing: the same last good look
    expect(again?.lastKnown).toEqual(down?.lastKnown);
    failing.clear();
    const [back] = await handlers['sessions/refresh'](null);
    expect(back?.result).toMatchObject({ state: 'ok' });
    expect(back?.lastKnown).toBeUndefined();
  });

  it('gives the permission back when the last account on that host is unlinked, not before', async () => {
    const granted = new Set(permissionPatterns('https://app.example.com'));
    const { handlers, removed } = sessionSetup(granted);
    const a = await handlers['accounts/link']({ connectorId: 'generic', url: 'https://app.example.com', settings: {} });
    const b = await handlers['accounts/link']({ connectorId: 'better-auth', url: 'https://app.example.com/api/auth', settings: {}, force: true });
    await handlers['accounts/unlink']({ accountId: a.account.id });
    expect(removed).toEqual([]);
    await handlers['accounts/unlink']({ accountId: b.account.id });
    expect(removed.sort()).toEqual(['http://app.example.com/*', 'https://app.example.com/*']);
    expect(granted.size).toBe(0);
  });

  it('links nothing when the first check fails, gives the permission back, and offers "link anyway" only for passing failures', async () => {
    const granted = new Set(permissionPatterns('https://shop.example.com'));
    const { handlers, accounts, failing, removed } = sessionSetup(granted);
    failing.add('shop.example.com');
    const link = (force?: boolean) => handlers['accounts/link']({ connectorId: 'generic', url: 'https://shop.example.com', settings: {}, ...(force ? { force } : {}) });
    // The page puts it into the person's language (`said`): the key and the host travel, not the English.
    await expect(link()).rejects.toMatchObject({
      code: 'unverified', message: expect.stringMatching(/could not check https:\/\/shop\.example\.com now.*Nothing was linked/),
      said: { key: 'link_unverified', subs: ['https://shop.example.com', expect.any(String)] },
    });
    expect(await accounts.list()).toEqual([]);
    expect(removed.sort()).toEqual(['http://shop.example.com/*', 'https://shop.example.com/*']);
    permissionPatterns('https://shop.example.com').forEach((p) => granted.add(p)); // "Link anyway" asks again
    const { result } = await link(true);
    expect(result).toMatchObject({ state: 'error', kind: 'offline' });
    expect((await accounts.list()).map((a) => a.origin)).toEqual(['https://shop.example.com']);
  });

  it('refuses an address with no API behind it, even when asked to link anyway', async () => {
    const notTheApi: RawFetch = async () => new Response('<!doctype html><p>Welcome', { status: 200, headers: { 'content-type': 'text/html' } });
    const granted = new Set(permissionPatterns('https://app.example.com'));
    const { handlers, accounts, removed } = sessionSetup(granted, notTheApi);
    for (const force of [false, true]) {
      permissionPatterns('https://app.example.com').forEach((p) => granted.add(p));
      await expect(handlers['accounts/link']({ connectorId: 'better-auth', url: 'https://app.example.com', settings: {}, force }))
        .rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/found no better-auth API at https:\/\/app\.example\.com/) });
    }
    expect(await accounts.list()).toEqual([]);
    expect(removed).toContain('https://app.example.com/*');
  });

  it('links the same site once, keeping the permission the first link holds', async () => {
    const granted = new Set(permissionPatterns('https://shop.example.com'));
    const { handlers, jar, removed } = sessionSetup(granted);
    jar.set('shop.example.com', ['sid']);
    await handlers['accounts/link']({ connectorId: 'generic', url: 'https://shop.example.com/', settings: {} });
    await expect(handlers['accounts/link']({ connectorId: 'generic', url: 'shop.example.com', settings: {} }))
      .rejects.toMatchObject({ code: 'duplicate', message: expect.stringMatching(/already linked/) });
    expect(removed).toEqual([]);
  });

  it('stores the API it found from the app address, so the API address is the same link', async () => {
    const betterAuth: RawFetch = async (url) => new URL(url).pathname === '/api/auth/get-session'
      ? new Response('null', { headers: { 'content-type': 'application/json' } })
      : new Response('not found', { status: 404 });
    const { handlers } = sessionSetup(new Set(permissionPatterns('https://app.example.com')), betterAuth);
    const { account, result } = await handlers['accounts/link']({ connectorId: 'better-auth', url: 'https://app.example.com/', settings: {} });
    expect(account.instanceUrl).toBe('https://app.example.com/api/auth');
    expect(result).toEqual({ state: 'signed-out' });
    await expect(handlers['accounts/link']({ connectorId: 'better-auth', url: 'https://app.example.com/api/auth', settings: {} }))
      .rejects.toMatchObject({ code: 'duplicate' });
  });

  it('releases an origin (its Firefox origin rule) with its last account; ports are origins of their own', async () => {
    const granted = new Set(permissionPatterns('http://127.0.0.1'));
    const { handlers, removed, released } = sessionSetup(granted);
    const a = await handlers['accounts/link']({ connectorId: 'generic', url: 'http://127.0.0.1:8788', settings: {} });
    const b = await handlers['accounts/link']({ connectorId: 'better-auth', url: 'http://127.0.0.1:8788/api/auth', settings: {}, force: true });
    const c = await handlers['accounts/link']({ connectorId: 'generic', url: 'http://127.0.0.1:9999', settings: {} });
    await handlers['accounts/unlink']({ accountId: a.account.id });
    expect(released).toEqual([]);
    await handlers['accounts/unlink']({ accountId: b.account.id });
    expect(released).toEqual(['http://127.0.0.1:8788']);
    expect(removed).toEqual([]); // the host is still used on another port
    await handlers['accounts/unlink']({ accountId: c.account.id });
    expect(released).toEqual(['http://127.0.0.1:8788', 'http://127.0.0.1:9999']);
    expect(removed.sort()).toEqual(['http://127.0.0.1/*', 'https://127.0.0.1/*']);
  });
});

async function vaultSetup() {
  const vault = new Vault({ db: () => openVaultDb(fresh('handlers-vault')), keyCache: memoryKeyCache(), kdfIterations: 1000, allowWeakKdfForTests: true });
  const deps: RouterDeps = {
    vault, settings: createSettingsStore(memoryArea()),
    onActivity: async () => undefined, onUnlocked: async () => undefined, lock: () => vault.lock(),
    scheduleClipboardClear: async () => undefined, clockSkew: async () => null,
  };
  const handlers = createVaultHandlers(deps);
  await handlers['vault/setup']({ password: 'long enough password' });
  return { vault, handlers, deps };
}

const good = { type: 'totp', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: 'Good', account: 'a', note: '', site: '' } as const;

describe('vault messages', () => {
  it('imports only when every item passes validation again, and applies pins', async () => {
    const { handlers } = await vaultSetup();
    await expect(handlers['entries/import']({ items: [{ input: good }, { input: { ...good, secret: 'not base32 !' } }] }))
      .rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('Entry 2') });
    expect((await handlers['vault/snapshot'](null)).entries).toEqual([]);
    expect(await handlers['entries/import']({ items: [{ input: good }, { input: { ...good, issuer: 'Pinned' }, pinned: true }] })).toEqual({ added: 2 });
    const entries = (await handlers['vault/snapshot'](null)).entries!;
    expect(entries.map((e) => [e.issuer, e.pinned])).toEqual([['Pinned', true], ['Good', false]]);
  });

  it('answers errors as data with their code; unknown errors become "internal"', async () => {
    const { handlers, deps, vault } = await vaultSetup();
    const { entry } = await handlers['entries/add-uri']({ uri: 'otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP' });
    expect(await dispatch(handlers as never, deps, { type: 'entries/next-hotp', body: { id: entry.id } }))
      .toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    await vault.lock();
    expect(await dispatch(handlers as never, deps, { type: 'entries/remove', body: { id: entry.id } }))
      .toMatchObject({ ok: false, error: { code: 'locked' } });
    const broken = { ...handlers, 'vault/snapshot': async () => { throw new RangeError('boom'); } };
    expect(await dispatch(broken as never, deps, { type: 'vault/snapshot', body: null }))
      .toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('boom') } });
  });

  it('recognises only the protocol’s message types', () => {
    expect(isRequest({ type: 'vault/snapshot', body: null })).toBe(true);
    expect(isRequest({ type: 'toString', body: null })).toBe(false);
    expect(isRequest({ type: '__proto__' })).toBe(false);
    expect(isRequest('vault/snapshot')).toBe(false);
    expect(isRequest(null)).toBe(false);
  });
});

describe('audit/list', () => {
  it('pages by the last record’s time and id, caps the page, and ignores a malformed cursor', async () => {
    const { handlers, dbName } = sessionSetup(new Set());
    const db = await openSessionsDb(dbName);
    const base = { accountId: 'a', accountLabel: 'A', connectorId: 'generic', origin: 'https://a.test', action: 'revoke-all', outcome: { status: 'confirmed', seen: 'ok' }, reason: { kind: 'other' } } as const;
    // 250 records, five to a millisecond: a cursor by time alone would skip some.
    for (let i = 0; i < 250; i++) await db.add('audit', { ...base, id: `r${String(i).padStart(3, '0')}`, at: 1000 + Math.floor(i / 5) });
    db.close();
    const first = await handlers['audit/list']({ limit: 10_000 });
    expect(first).toHaveLength(200);
    const last = first.at(-1)!;
    const rest = await handlers['audit/list']({ limit: 200, before: { at: last.at, id: last.id } });
    expect(rest).toHaveLength(50);
    expect(new Set([...first, ...rest].map((r) => r.id)).size).toBe(250);
    // Junk from a page is not passed on to the store: read as "from the newest".
    const junk = await handlers['audit/list']({ limit: 3, before: { at: 'soon', id: 7 } as unknown as { at: number; id: string } });
    expect(junk.map((r) => r.id)).toEqual(['r249', 'r248', 'r247']);
    expect(await handlers['audit/list']({ limit: 'x' as unknown as number })).toHaveLength(1);
  });
});
