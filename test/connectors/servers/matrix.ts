/**
 * A loopback Matrix homeserver: the part of the client-server API Revoke's Matrix connector meets,
 * as the spec (matrix-org/matrix-spec v1.19: data/api/client-server/{wellknown, versions, login,
 * logout, whoami, device_management}.yaml, content/client-server-api/_index.md "User-interactive
 * authentication", "Soft logout") says and Synapse 1.157 (element-hq/synapse: rest/client/devices.py,
 * rest/client/login.py, handlers/auth.py check_ui_auth / validate_user_via_ui_auth, api/auth/base.py)
 * does it:
 *
 *   - The access token travels as `Authorization: Bearer` (or ?access_token=). None: 401
 *     M_MISSING_TOKEN; unknown or ended: 401 M_UNKNOWN_TOKEN with soft_logout (true only for tokens
 *     the server expired, `expire-tokens`). Every authenticated request updates its device's
 *     last_seen_ip / last_seen_ts, as Synapse's client-IP tracking does.
 *   - POST /login (m.login.password, identifier m.id.user with a localpart or full user id): a
 *     given device_id that exists is reused and its earlier tokens are invalidated; a wrong password
 *     is 403 M_FORBIDDEN "Invalid username or password".
 *   - DELETE /devices/{id} and POST /delete_devices use user-interactive auth: without `auth`, 401
 *     {flows: [{stages: ["m.login.password"]}], params: {}, session}. The retry names that session;
 *     an unknown one is 400 "Unknown session ID", one begun for another URI or method is 403. A
 *     wrong password is 401 with the flows, the session, `completed: []` and errcode M_FORBIDDEN; a
 *     password of another user is 403 "Invalid auth". Deleting a device invalidates its tokens; an
 *     unknown device id is ignored (Synapse's delete_devices).
 *   - POST /logout ends the calling device; POST /logout/all ends every device of the user.
 *
 * CORS headers on every answer, as the spec asks of homeservers (browser clients).
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import { stringArg, unknownAction, type CaseServer } from './case-server';

export interface MatrixDevice {
  userId: string;
  deviceId: string;
  displayName?: string;
  lastSeenIp?: string;
  lastSeenTs?: number;
}

export interface MatrixHomeserver {
  origin: string;
  serverName: string;
  users: Map<string, { password: string }>;
  devices: Map<string, MatrixDevice>;
  /** Live access tokens -> device key (`userId|deviceId`). */
  tokens: Map<string, string>;
  /** Every access token ever issued (for the harness: secrets, and proving ended ones are refused). */
  issued: string[];
  /** The user's id on this server ("@alice:127.0.0.1:port"). */
  userId(localpart: string): string;
  /** A device signed in elsewhere (Element on a phone): its token is the server's only. */
  signInElsewhere(localpart: string, device: { displayName?: string; ip?: string; seenAgoMs?: number }): string;
  /** Answers to change: 'devices-not-a-list' (GET /devices answers {}), 'html' (a web page everywhere), 'sso-only' (no password login or UIA). */
  mode: Set<'devices-not-a-list' | 'html' | 'sso-only'>;
  /** Every live token is expired: refused with soft_logout true (the device stays). */
  expireTokens(): void;
  reset(): void;
  close(): Promise<void>;
}

const CLIENT = '/_matrix/client/v3';
const PASSWORD_FLOWS = [{ stages: ['m.login.password'] }];

interface UiaSession {
  uri: string;
  method: string;
  completedBy?: string;
}

const key = (userId: string, deviceId: string) => `${userId}|${deviceId}`;
const newId = (bytes: number) => randomBytes(bytes).toString('base64url');

export async function startMatrixHomeserver(opts: { host?: string } = {}): Promise<MatrixHomeserver> {
  const host = opts.host ?? '127.0.0.1';
  const devices = new Map<string, MatrixDevice>();
  const tokens = new Map<string, string>();
  const expired = new Set<string>();
  const uia = new Map<string, UiaSession>();
  const issued: string[] = [];
  const mode = new Set<'devices-not-a-list' | 'html' | 'sso-only'>();
  const users = new Map<string, { password: string }>();
  let serverName = '';

  const userId = (localpart: string) => `@${localpart}:${serverName}`;
  const resetUsers = () => {
    users.clear();
    users.set(userId('alice'), { password: 'alice-matrix-password' });
    users.set(userId('bob'), { password: 'bob-matrix-password' });
  };

  function issue(user: string, deviceId: string): string {
    const token = `syt_${newId(24)}`;
    tokens.set(token, key(user, deviceId));
    issued.push(token);
    return token;
  }

  function endDevice(user: string, deviceId: string): void {
    devices.delete(key(user, deviceId));
    for (const [t, k] of tokens) if (k === key(user, deviceId)) tokens.delete(t);
  }

  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        send(res, 500, { errcode: 'M_UNKNOWN', error: String(e) });
      }
    });
  };

  function send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, {
      'content-type': 'application/json',
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
      'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
    });
    res.end(JSON.stringify(body));
  }

  /** The requester's user and device, or the 401 Synapse answers (api/auth/base.py, internal.py). */
  function authenticate(req: http.IncomingMessage, url: URL, res: http.ServerResponse): { user: string; deviceId: string; token: string } | null {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('access_token');
    if (!token) {
      send(res, 401, { errcode: 'M_MISSING_TOKEN', error: 'Missing access token' });
      return null;
    }
    const owner = tokens.get(token);
    if (!owner) {
      send(res, 401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Unrecognised access token', soft_logout: expired.has(token) });
      return null;
    }
    const [user, deviceId] = owner.split('|') as [string, string];
    const device = devices.get(owner);
    if (device) {
      device.lastSeenIp = '127.0.0.1';
      device.lastSeenTs = Date.now();
    }
    return { user, deviceId, token };
  }

  function parse(body: string): Record<string, unknown> | null {
    if (body.trim() === '') return {};
    try {
      const v: unknown = JSON.parse(body);
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  /** m.id.user identifier to a full user id on this server (a localpart or a full id). */
  function identifiedUser(identifier: unknown): string | null {
    if (typeof identifier !== 'object' || identifier === null) return null;
    const { type, user } = identifier as Record<string, unknown>;
    if (type !== 'm.id.user' || typeof user !== 'string') return null;
    return user.startsWith('@') ? user : userId(user);
  }

  /**
   * handlers/auth.py check_ui_auth: true once the password stage is complete for `requester`;
   * otherwise it has answered (401 with the flows, 400/403 for a bad session or another user).
   */
  function uiaPassed(req: http.IncomingMessage, path: string, body: Record<string, unknown>, requester: string, res: http.ServerResponse): boolean {
    if (mode.has('sso-only')) {
      const session = newId(18);
      uia.set(session, { uri: path, method: req.method ?? '' });
      send(res, 401, { session, flows: [{ stages: ['m.login.sso'] }], params: {} });
      return false;
    }
    const auth = body.auth as Record<string, unknown> | undefined;
    const sid = auth && typeof auth.session === 'string' ? auth.session : undefined;
    let session: UiaSession | undefined;
    let id: string;
    if (!sid) {
      id = newId(18);
      session = { uri: path, method: req.method ?? '' };
      uia.set(id, session);
    } else {
      id = sid;
      session = uia.get(sid);
      if (!session) {
        send(res, 400, { errcode: 'M_UNKNOWN', error: `Unknown session ID: ${sid}` });
        return false;
      }
      if (session.uri !== path || session.method !== req.method) {
        send(res, 403, { errcode: 'M_UNKNOWN', error: 'Requested operation has changed during the UI authentication session.' });
        return false;
      }
    }
    const incomplete = { session: id, flows: PASSWORD_FLOWS, params: {} };
    if (!auth) {
      send(res, 401, incomplete);
      return false;
    }
    if (auth.type === 'm.login.password') {
      const who = identifiedUser(auth.identifier);
      if (!who || users.get(who)?.password !== auth.password) {
        send(res, 401, { ...incomplete, completed: [], errcode: 'M_FORBIDDEN', error: 'Invalid username or password' });
        return false;
      }
      session.completedBy = who;
    }
    if (!session.completedBy) {
      send(res, 401, { ...incomplete, completed: [] });
      return false;
    }
    if (session.completedBy !== requester) {
      send(res, 403, { errcode: 'M_FORBIDDEN', error: 'Invalid auth' });
      return false;
    }
    return true;
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return send(res, 200, {});
    if (mode.has('html')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Welcome</title><p>This address now serves a web page.</p>');
      return;
    }
    if (path === '/.well-known/matrix/client' && method === 'GET') return send(res, 200, { 'm.homeserver': { base_url: `${origin}/` } });
    if (path === '/_matrix/client/versions' && method === 'GET') {
      return send(res, 200, { versions: ['r0.6.1', 'v1.1', 'v1.5', 'v1.11', 'v1.12'], unstable_features: {} });
    }
    const body = parse(raw);
    if (body === null) return send(res, 400, { errcode: 'M_NOT_JSON', error: 'Content not JSON.' });

    if (path === `${CLIENT}/login` && method === 'GET') {
      const flows = mode.has('sso-only') ? [{ type: 'm.login.sso' }] : [{ type: 'm.login.password' }, { type: 'm.login.token' }];
      return send(res, 200, { flows });
    }
    if (path === `${CLIENT}/login` && method === 'POST') {
      if (body.type !== 'm.login.password' || mode.has('sso-only')) return send(res, 400, { errcode: 'M_UNKNOWN', error: 'Unknown login type' });
      const who = identifiedUser(body.identifier);
      if (!who || users.get(who)?.password !== body.password) return send(res, 403, { errcode: 'M_FORBIDDEN', error: 'Invalid username or password' });
      const deviceId = typeof body.device_id === 'string' && body.device_id !== '' ? body.device_id : newId(8).toUpperCase();
      const existing = devices.get(key(who, deviceId));
      if (existing) {
        // The device is reused; tokens it held before are invalidated (login.py -> register_device).
        for (const [t, k] of tokens) if (k === key(who, deviceId)) tokens.delete(t);
      } else {
        const displayName = typeof body.initial_device_display_name === 'string' ? body.initial_device_display_name : undefined;
        devices.set(key(who, deviceId), { userId: who, deviceId, ...(displayName ? { displayName } : {}), lastSeenIp: '127.0.0.1', lastSeenTs: Date.now() });
      }
      return send(res, 200, { user_id: who, access_token: issue(who, deviceId), home_server: serverName, device_id: deviceId });
    }

    const me = authenticate(req, url, res);
    if (!me) return;
    if (path === `${CLIENT}/account/whoami` && method === 'GET') return send(res, 200, { user_id: me.user, device_id: me.deviceId, is_guest: false });
    if (path === `${CLIENT}/devices` && method === 'GET') {
      if (mode.has('devices-not-a-list')) return send(res, 200, {});
      const list = [...devices.values()].filter((d) => d.userId === me.user).map((d) => ({
        user_id: d.userId, device_id: d.deviceId, display_name: d.displayName ?? null, last_seen_ip: d.lastSeenIp ?? null, last_seen_ts: d.lastSeenTs ?? null,
      }));
      return send(res, 200, { devices: list });
    }
    const one = /^\/_matrix\/client\/v3\/devices\/([^/]*)$/.exec(path);
    if (one && method === 'DELETE') {
      if (!uiaPassed(req, path, body, me.user, res)) return;
      endDevice(me.user, decodeURIComponent(one[1]!));
      return send(res, 200, {});
    }
    if (path === `${CLIENT}/delete_devices` && method === 'POST') {
      if (!Array.isArray(body.devices) || !body.devices.every((d) => typeof d === 'string')) return send(res, 400, { errcode: 'M_BAD_JSON', error: 'devices must be a list of strings' });
      if (!uiaPassed(req, path, body, me.user, res)) return;
      for (const d of body.devices as string[]) endDevice(me.user, d);
      return send(res, 200, {});
    }
    if (path === `${CLIENT}/logout` && method === 'POST') {
      endDevice(me.user, me.deviceId);
      return send(res, 200, {});
    }
    if (path === `${CLIENT}/logout/all` && method === 'POST') {
      for (const d of [...devices.values()]) if (d.userId === me.user) endDevice(d.userId, d.deviceId);
      return send(res, 200, {});
    }
    send(res, 404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
  }

  const loopback = await listenOnLoopback(handler, { host });
  const origin = loopback.origin;
  serverName = new URL(origin).host;
  resetUsers();

  return {
    origin,
    serverName,
    users,
    devices,
    tokens,
    issued,
    mode,
    userId,
    signInElsewhere(localpart, device) {
      const user = userId(localpart);
      const deviceId = newId(8).toUpperCase();
      devices.set(key(user, deviceId), {
        userId: user, deviceId,
        ...(device.displayName ? { displayName: device.displayName } : {}),
        ...(device.ip ? { lastSeenIp: device.ip } : {}),
        lastSeenTs: Date.now() - (device.seenAgoMs ?? 60_000),
      });
      issue(user, deviceId);
      return deviceId;
    },
    expireTokens() {
      for (const t of tokens.keys()) expired.add(t);
      tokens.clear();
    },
    reset() {
      devices.clear();
      tokens.clear();
      expired.clear();
      uia.clear();
      issued.length = 0;
      mode.clear();
      resetUsers();
    },
    close: loopback.close,
  };
}

// matrix: actions 'sign-in-elsewhere' {user, displayName, ip} (a device Revoke did not make),
// 'expire-tokens' (every token refused with soft_logout), 'mode' {mode} (see MatrixHomeserver.mode).
// Revoke signs in itself (`do: 'sign-in'`) as alice. What is live is what the homeserver's own API
// accepts: every token it ever issued is tried on /account/whoami, so an ended device's token is
// proven refused, not just missing from a list.

export interface MatrixCaseServer extends CaseServer {
  native: MatrixHomeserver;
}

export async function startMatrixCaseServer(opts: { host?: string } = {}): Promise<MatrixCaseServer> {
  const hs = await startMatrixHomeserver(opts);
  const alice = () => hs.userId('alice');
  async function acceptedBy(token: string): Promise<{ user_id: string; device_id: string } | null> {
    const res = await fetch(`${hs.origin}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { user_id: string; device_id: string };
    return res.status === 200 ? body : null;
  }
  return {
    native: hs,
    origin: hs.origin,
    instanceUrl: hs.origin,
    credentials: { user: alice(), password: 'alice-matrix-password' },
    async act(action, args) {
      if (action === 'sign-in-elsewhere') {
        const ip = typeof args.ip === 'string' ? args.ip : undefined;
        hs.signInElsewhere(stringArg(args, 'user', 'alice'), { displayName: stringArg(args, 'displayName'), ...(ip ? { ip } : {}) });
      } else if (action === 'expire-tokens') {
        hs.expireTokens();
      } else if (action === 'mode') {
        hs.mode.add(stringArg(args, 'mode') as never);
      } else {
        unknownAction('matrix', action);
      }
    },
    async liveSessions(browser) {
      const ids = new Set<string>();
      for (const token of hs.issued) {
        const who = await acceptedBy(token);
        if (who?.user_id === alice()) ids.add(who.device_id);
      }
      const own = [...browser.tokens.values()][0];
      const current = own ? (await acceptedBy(own))?.device_id ?? null : null;
      return { ids: [...ids], current };
    },
    secrets: (browser) => [...hs.issued, ...browser.tokens.values(), ...[...hs.users.values()].map((u) => u.password)],
    async reset() {
      hs.reset();
    },
    close: () => hs.close(),
  };
}
