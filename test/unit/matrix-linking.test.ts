// this runs under the 'unit' project
// What the Matrix connector's own cases (connectors.test.ts) cannot say: linking signs Revoke in
// through the background's handlers and keeps the token out of everything stored or answered;
// the engine passes the typed password to one request only and says what /logout/all ended;
// unlinking ends Revoke's device; two homeservers are two accounts.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSessionHandlers } from '../../src/background/session-handlers';
import { sessionAccountTokens } from '../../src/background/account-tokens';
import { createConnectorContext } from '../../src/connectors/context';
import { connectorById } from '../../src/connectors/registry';
import type { LinkedAccountRef } from '../../src/connectors/types';
import { hostPermissionPatterns } from '../../src/lib/host-permissions';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, sessionsConnection } from '../../src/sessions/db';
import { createSessionEngine } from '../../src/sessions/engine';
import { startMatrixHomeserver, type MatrixHomeserver } from '../connectors/servers/matrix';

const PASSWORD = 'alice-matrix-password';
const REASON = { kind: 'unrecognised' } as const;
let a: MatrixHomeserver;
let b: MatrixHomeserver;
let n = 0;

beforeAll(async () => {
  [a, b] = await Promise.all([startMatrixHomeserver({ host: '127.0.0.1' }), startMatrixHomeserver({ host: '127.0.0.2' })]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});
beforeEach(() => {
  a.reset();
  b.reset();
});

/** The background's handlers over a memory storage.session, as index.ts wires them. */
function background() {
  const memory = new Map<string, unknown>();
  const session = {
    get: async (k: string) => (memory.has(k) ? { [k]: memory.get(k) } : {}),
    set: async (items: Record<string, unknown>) => { for (const [k, v] of Object.entries(items)) memory.set(k, v); },
    remove: async (k: string) => void memory.delete(k),
  };
  const tokens = sessionAccountTokens(session);
  const db = sessionsConnection(() => openSessionsDb(`matrix-linking-${++n}`));
  const contextFor = (account: LinkedAccountRef, signal?: AbortSignal) => createConnectorContext({
    fetch: (url, init) => fetch(url, init), account, token: tokens.forAccount(account.id),
    local: { cookieNames: async () => [], clear: async () => ({ shared: [] }) },
    selectHtml: () => { throw new Error('unused'); }, ...(signal ? { signal } : {}),
  });
  const engine = createSessionEngine({ db, connectorById, contextFor });
  const accounts = createAccountStore({ db, connectorById });
  const granted = new Set([a.origin, b.origin].flatMap(hostPermissionPatterns));
  const handlers = createSessionHandlers({
    engine, accounts, deviceName: 'Revoke (Chrome)',
    permissions: { contains: async (p) => granted.has(p), whenGranted: async (p) => granted.has(p), remove: async (p) => void granted.delete(p) },
    contextFor: (account) => contextFor(account),
  });
  return { handlers, engine, accounts, memory };
}

const link = (bg: ReturnType<typeof background>, hs: MatrixHomeserver, password = PASSWORD) =>
  bg.handlers['accounts/link']({ connectorId: 'matrix', url: hs.origin, settings: { user: hs.userId('alice') }, password });

/** Is this token still accepted by the homeserver's own API? */
async function accepted(hs: MatrixHomeserver, token: string): Promise<boolean> {
  const res = await fetch(`${hs.origin}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${token}` } });
  return res.status === 200;
}

describe('linking a Matrix account', () => {
  it('signs Revoke in as its own device; the token stays in memory storage, nowhere else', async () => {
    const bg = background();
    const { account, result } = await link(bg, a);
    expect(result).toMatchObject({ state: 'ok', whoami: { account: a.userId('alice') } });
    expect(account.settings).toMatchObject({ user: a.userId('alice') });
    const [device] = [...a.devices.values()];
    expect(device?.displayName).toBe('Revoke (Chrome)');
    const views = await bg.handlers['sessions/overview'](null);
    expect(views[0]?.account.settings.deviceId).toBe(device?.deviceId);
    const token = [...a.tokens.keys()][0]!;
    expect([...bg.memory.values()]).toEqual([token]);
    expect(JSON.stringify(views)).not.toContain(token);
    expect(JSON.stringify(views)).not.toContain(PASSWORD);
  });

  it('links nothing when the homeserver refuses the password', async () => {
    const bg = background();
    await expect(link(bg, a, 'wrong')).rejects.toMatchObject({ code: 'wrong-password' });
    expect(await bg.accounts.list()).toEqual([]);
    expect(a.devices.size).toBe(0);
  });

  it('two homeservers are two accounts, each with its own device and token', async () => {
    const bg = background();
    await link(bg, a);
    await link(bg, b);
    b.signInElsewhere('alice', { displayName: 'Element on b' });
    const views = await bg.handlers['sessions/refresh'](null);
    const sessions = views.map((v) => (v.result?.state === 'ok' ? v.result.sessions?.length : -1));
    expect(sessions).toEqual([1, 2]);
    expect(bg.memory.size).toBe(2);
  });
});

describe('ending Matrix devices through the engine', () => {
  it('ends another device with the password typed for that request, and the check confirms it', async () => {
    const bg = background();
    const { account } = await link(bg, a);
    const other = a.signInElsewhere('alice', { displayName: 'Element X iOS' });
    await bg.handlers['sessions/refresh'](null);
    const refused = await bg.engine.revoke(account.id, { id: other }, REASON);
    expect(refused).toMatchObject({ status: 'failed', kind: 'reauth' });
    const outcome = await bg.engine.revoke(account.id, { id: other }, REASON, PASSWORD);
    expect(outcome).toMatchObject({ status: 'confirmed' });
    expect([...a.devices.values()].map((d) => d.deviceId)).not.toContain(other);
  });

  it('"sign out of site" (/logout/all) says which devices ended, and Revoke’s token is refused after', async () => {
    const bg = background();
    const { account } = await link(bg, a);
    a.signInElsewhere('alice', { displayName: 'app.element.io: Firefox on Linux' });
    const token = [...a.tokens.keys()][0]!;
    const outcome = await bg.engine.revoke(account.id, 'all', REASON);
    expect(outcome.status).toBe('confirmed');
    expect(outcome.status === 'confirmed' && outcome.seen).toMatch(/every device of @alice:.*\(2: .*Revoke \(Chrome\).*app\.element\.io: Firefox on Linux/);
    expect(await accepted(a, token)).toBe(false);
    expect(bg.memory.size).toBe(0); // forgotten once the homeserver refused it
  });

  it('signs in again on the same device after its sign-in ended, and unlinking ends that device', async () => {
    const bg = background();
    const { account } = await link(bg, a);
    const deviceId = [...a.devices.values()][0]!.deviceId;
    a.expireTokens();
    const [signedOut] = await bg.handlers['sessions/refresh'](null);
    expect(signedOut?.result).toMatchObject({ state: 'signed-out' });
    await expect(bg.handlers['accounts/sign-in']({ accountId: account.id, password: 'wrong' })).rejects.toMatchObject({ code: 'wrong-password' });
    const [back] = await bg.handlers['accounts/sign-in']({ accountId: account.id, password: PASSWORD });
    expect(back?.result).toMatchObject({ state: 'ok' });
    expect([...a.devices.keys()]).toEqual([`${a.userId('alice')}|${deviceId}`]);
    const token = [...a.tokens.keys()][0]!;
    await bg.handlers['accounts/unlink']({ accountId: account.id });
    expect(await accepted(a, token)).toBe(false);
    expect(a.devices.size).toBe(0);
    expect(bg.memory.size).toBe(0);
  });
});
