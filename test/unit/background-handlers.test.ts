import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createVaultHandlers, dispatch, type RouterDeps } from '../../src/background/router';
import { createSessionHandlers } from '../../src/background/session-handlers';
import { hostPermissionPatterns as permissionPatterns } from '../../src/lib/host-permissions';
import { createSettingsStore } from '../../src/background/settings';
import { createConnectorContext } from '../../src/connectors/context';
import { connectorById } from '../../src/connectors/registry';
import { ConnectorError, type LocalState } from '../../src/connectors/types';
import { isRequest } from '../../src/lib/messages';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, sessionsConnection } from '../../src/sessions/db';
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
    clear: async (origin) => void jar.delete(new URL(origin).hostname),
  };
}

function sessionSetup(granted: Set<string>) {
  const db = sessionsConnection(() => openSessionsDb(fresh('handlers-sessions')));
  const jar = new Map<string, string[]>();
  const failing = new Set<string>();
  const engine = createSessionEngine({
    db, connectorById,
    contextFor: (account, signal) => createConnectorContext({
      fetch: () => Promise.reject(new TypeError('no network in this test')),
      account, local: fakeLocalState(jar, failing), parseHtml: () => { throw new Error('unused'); }, signal,
    }),
  });
  const accounts = createAccountStore({ db, connectorById });
  const removed: string[] = [];
  const handlers = createSessionHandlers({
    engine, accounts,
    permissions: {
      contains: async (p) => granted.has(p),
      remove: async (p) => { removed.push(p); granted.delete(p); },
    },
  });
  return { handlers, jar, failing, removed, accounts };
}

describe('linking and unlinking accounts (least privilege)', () => {
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
    const b = await handlers['accounts/link']({ connectorId: 'better-auth', url: 'https://app.example.com/api/auth', settings: {} });
    await handlers['accounts/unlink']({ accountId: a.account.id });
    expect(removed).toEqual([]);
    await handlers['accounts/unlink']({ accountId: b.account.id });
    expect(removed.sort()).toEqual(['http://app.example.com/*', 'https://app.example.com/*']);
    expect(granted.size).toBe(0);
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
