/**
 * Matrix (any homeserver), from the client-server spec v1.19 (matrix-org/matrix-spec @d0ba2aa:
 * data/api/client-server/{versions, wellknown, login, logout, whoami, device_management}.yaml;
 * content/client-server-api/_index.md: "User-interactive authentication API", "Soft logout",
 * "Well-known URIs") and checked against Synapse v1.157 (element-hq/synapse @a58ad44:
 * synapse/rest/client/{devices,login}.py, synapse/handlers/auth.py check_ui_auth and
 * validate_user_via_ui_auth, synapse/api/auth/base.py). Element's session manager is the anchor
 * for what a person expects to see and do.
 *
 * - Matrix clients hold an access token, not a cookie, so Revoke signs in as its own device
 *   (POST /login, m.login.password with an m.id.user identifier; the password is used once) and
 *   keeps the token in `ctx.token` (docs/design.md, "Accounts Revoke signs in to"). Signing in
 *   again names the same device_id, so the homeserver reuses the device and invalidates its old
 *   token instead of collecting "Revoke" devices.
 * - GET /account/whoami -> {user_id, device_id}; 401 M_UNKNOWN_TOKEN (soft_logout or not) means
 *   Revoke's sign-in ended: the token is forgotten and the account reads "signed out".
 * - GET /devices -> {devices: [{device_id, display_name?, last_seen_ip?, last_seen_ts?}]}. Names
 *   are not changed from here: Revoke never renames a device.
 * - Ending another device (DELETE /devices/{id}, POST /delete_devices {devices}) uses
 *   user-interactive auth: the first request answers 401 {flows, params, session}; the retry
 *   carries auth {type: m.login.password, identifier, password, session}. The password is the one
 *   the person typed in Revoke's prompt for this request (`ctx.password`), sent only in the retry.
 *   A wrong one is 401 with errcode M_FORBIDDEN and the flows again. Homeservers whose flows offer
 *   no password stage (SSO, OAuth 2.0 delegation) are said to be so: end those devices in Element.
 * - Revoke's own device ends with POST /logout; POST /logout/all ends every device of the account,
 *   Element's included, and the result names them.
 */
import { t } from '../i18n/t';
import { excerpt } from './context';
import { discoverHomeserver } from './matrix-discovery';
import { connectorError, instanceBase } from './common';
import {
  ConnectorError,
  type Connector,
  type ConnectorContext,
  type FetchInit,
  type RevokeTarget,
  type Session,
  type SignInCredentials,
  type WhoAmI,
} from './types';

const API = '/_matrix/client/v3';

function base(ctx: ConnectorContext): string {
  return instanceBase(ctx.account);
}

function host(ctx: ConnectorContext): string {
  return new URL(base(ctx)).host;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pageChanged(ctx: ConnectorContext, detail: string): ConnectorError {
  return connectorError('page-changed', { key: 'connErr_mxChanged', subs: [host(ctx)] }, detail);
}

function signedOut(ctx: ConnectorContext): ConnectorError {
  return connectorError('signed-out', { key: 'connErr_mxSignedOut', subs: [host(ctx)] });
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  detail: string;
}

/** A JSON object from the homeserver (any status), or page-changed. Sends Revoke's token unless `anonymous`. */
async function request(ctx: ConnectorContext, path: string, init: FetchInit & { anonymous?: boolean } = {}): Promise<Answer> {
  const { anonymous, ...rest } = init;
  const headers: Record<string, string> = { accept: 'application/json', ...rest.headers };
  if (!anonymous) {
    const token = await ctx.token?.get();
    if (!token) throw signedOut(ctx);
    headers.authorization = `Bearer ${token}`;
  }
  const res = await ctx.fetch(`${base(ctx)}${path}`, { ...rest, headers });
  const text = await res.text();
  const detail = `HTTP ${res.status} ${path.replace(/\/devices\/.*/, '/devices/…')}: ${excerpt(text)}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!isRecord(body)) {
    if (res.status >= 500) throw connectorError('server', { key: 'connErr_server', subs: [host(ctx), String(res.status)] }, detail);
    throw pageChanged(ctx, detail);
  }
  return { status: res.status, body, detail };
}

/** The failure a non-2xx answer that is not user-interactive auth means. Forgets a token the homeserver no longer knows. */
async function failure(ctx: ConnectorContext, a: Answer): Promise<ConnectorError> {
  const errcode = a.body.errcode;
  if (a.status === 401 && errcode === 'M_UNKNOWN_TOKEN') {
    await ctx.token?.clear();
    return signedOut(ctx);
  }
  if (errcode === 'M_MISSING_TOKEN') {
    return connectorError('page-changed', { key: 'connErr_mxDropped', subs: [host(ctx)] }, a.detail);
  }
  if (a.status === 429 || errcode === 'M_LIMIT_EXCEEDED') return connectorError('server', { key: 'connErr_slowDown', subs: [host(ctx)] }, a.detail);
  if (a.status === 403) return connectorError('forbidden', { key: 'connErr_refused', subs: [host(ctx)] }, a.detail);
  if (a.status >= 500) return connectorError('server', { key: 'connErr_server', subs: [host(ctx), String(a.status)] }, a.detail);
  if (a.status === 404 || errcode === 'M_UNRECOGNIZED') return pageChanged(ctx, a.detail);
  return connectorError('server', { key: 'connErr_errorStatus', subs: [host(ctx), String(a.status)] }, a.detail);
}

async function ok(ctx: ConnectorContext, path: string, init: FetchInit = {}): Promise<Record<string, unknown>> {
  const a = await request(ctx, path, init);
  if (a.status !== 200) throw await failure(ctx, a);
  return a.body;
}

// ---------------------------------------------------------------------------------------------
// Signing Revoke in, who am I, the devices

async function signIn(ctx: ConnectorContext, { user, password, deviceName }: SignInCredentials): Promise<Record<string, string>> {
  const flows = await request(ctx, `${API}/login`, { anonymous: true });
  if (flows.status !== 200 || !Array.isArray(flows.body.flows)) throw pageChanged(ctx, flows.detail);
  if (!flows.body.flows.some((f) => isRecord(f) && f.type === 'm.login.password')) {
    throw connectorError('unsupported', { key: 'connErr_mxNoPassword', subs: [host(ctx)] });
  }
  const known = ctx.account.settings;
  const a = await request(ctx, `${API}/login`, {
    anonymous: true,
    method: 'POST',
    json: {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: user.trim() },
      password,
      initial_device_display_name: deviceName,
      // Signing in again: the same device, whose earlier token the homeserver invalidates.
      ...(known.deviceId ? { device_id: known.deviceId } : {}),
    },
  });
  if (a.status === 403 && a.body.errcode === 'M_FORBIDDEN') {
    throw connectorError('forbidden', { key: 'connErr_mxRefusedLogin', subs: [host(ctx)] });
  }
  if (a.status !== 200) throw await failure(ctx, a);
  const { access_token: token, user_id: userId, device_id: deviceId } = a.body;
  if (typeof token !== 'string' || token === '' || typeof userId !== 'string' || typeof deviceId !== 'string' || deviceId === '') {
    throw pageChanged(ctx, 'POST /login: no access_token, user_id or device_id');
  }
  await ctx.token?.set(token);
  if (known.userId && known.userId !== userId) {
    // Another account than the one linked: end that sign-in again rather than mix two accounts.
    await logout(ctx).catch(() => undefined);
    throw connectorError('forbidden', { key: 'connErr_mxOtherUser', subs: [String(userId), String(known.userId)] });
  }
  return { userId, deviceId };
}

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  if (!(await ctx.token?.get())) return null;
  const a = await request(ctx, `${API}/account/whoami`);
  if (a.status === 401 && a.body.errcode === 'M_UNKNOWN_TOKEN') {
    await ctx.token?.clear();
    return null;
  }
  if (a.status !== 200) throw await failure(ctx, a);
  if (typeof a.body.user_id !== 'string' || a.body.user_id === '') throw pageChanged(ctx, '/account/whoami: no user_id');
  const deviceId = typeof a.body.device_id === 'string' ? a.body.device_id : ctx.account.settings.deviceId;
  return { account: a.body.user_id, ...(deviceId ? { sessionId: deviceId } : {}) };
}

function readDevice(ctx: ConnectorContext, v: unknown, i: number, ownId: string | undefined): Session {
  if (!isRecord(v) || typeof v.device_id !== 'string' || v.device_id === '') throw pageChanged(ctx, `/devices: devices[${i}] has no device_id`);
  const session: Session = { id: v.device_id, current: v.device_id === ownId, extra: { [t('extra_deviceId')]: v.device_id } };
  if (typeof v.display_name === 'string' && v.display_name.trim() !== '') session.device = v.display_name;
  if (typeof v.last_seen_ip === 'string' && v.last_seen_ip !== '') session.ip = v.last_seen_ip;
  if (typeof v.last_seen_ts === 'number' && Number.isFinite(v.last_seen_ts)) session.lastActiveAt = v.last_seen_ts;
  return session;
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  const body = await ok(ctx, `${API}/devices`);
  // Absent or not a list is a changed answer, never "no devices": every signed-in account has Revoke's own.
  if (!Array.isArray(body.devices)) throw pageChanged(ctx, '/devices: no devices list');
  const own = ctx.account.settings.deviceId;
  return body.devices.map((d, i) => readDevice(ctx, d, i, own));
}

// ---------------------------------------------------------------------------------------------
// Ending devices

async function logout(ctx: ConnectorContext, all = false): Promise<void> {
  await ok(ctx, `${API}/logout${all ? '/all' : ''}`, { method: 'POST', json: {} });
}

/** Revoke's own device id: the one signed in, as whoami says (or as stored at sign-in). */
async function ownDevice(ctx: ConnectorContext): Promise<{ userId: string; deviceId?: string }> {
  const me = await whoami(ctx);
  if (!me) throw signedOut(ctx);
  return { userId: me.account, ...(me.sessionId ? { deviceId: me.sessionId } : {}) };
}

/** A request behind user-interactive auth: sent once without auth, then with the password stage for the session it opened. */
async function withPassword(ctx: ConnectorContext, userId: string, path: string, method: string, body: Record<string, unknown>): Promise<void> {
  const first = await request(ctx, path, { method, json: body });
  if (first.status === 200) return; // the homeserver did not ask (a recent authentication it still honours)
  const { session, flows } = first.body;
  if (first.status !== 401 || typeof session !== 'string' || !Array.isArray(flows)) throw await failure(ctx, first);
  const passwordFlow = flows.some((f) => isRecord(f) && Array.isArray(f.stages) && f.stages.length === 1 && f.stages[0] === 'm.login.password');
  if (!passwordFlow) {
    throw connectorError('unsupported', { key: 'connErr_mxSso', subs: [host(ctx)] }, first.detail);
  }
  if (!ctx.password) throw connectorError('reauth', { key: 'connErr_mxNeedPassword', subs: [host(ctx)] });
  const retry = await request(ctx, path, {
    method,
    json: { ...body, auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: userId }, password: ctx.password, session } },
  });
  if (retry.status === 200) return;
  if (retry.status === 401 && retry.body.errcode === 'M_FORBIDDEN') {
    throw connectorError('forbidden', { key: 'connErr_mxRefusedPassword', subs: [host(ctx)] });
  }
  if (retry.status === 401 && Array.isArray(retry.body.flows)) {
    throw connectorError('server', { key: 'connErr_mxStillAsks', subs: [host(ctx)] }, retry.detail);
  }
  throw await failure(ctx, retry);
}

function names(sessions: Session[]): string {
  return sessions.map((s) => s.device ?? s.id).join(', ');
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void | { ended: string }> {
  const me = await ownDevice(ctx);
  if (target === 'all') {
    const before = await listSessions(ctx).catch(() => null);
    await logout(ctx, true);
    // What /logout/all ends is every device of the account, not only Revoke's: say which.
    return before && before.length > 0
      ? { ended: t('say_matrixEndedListed', host(ctx), me.userId, before.length, names(before)) }
      : { ended: t('say_matrixEnded', host(ctx), me.userId) };
  }
  if (target === 'others') {
    const others = (await listSessions(ctx)).filter((s) => s.id !== me.deviceId);
    if (others.length === 0) return;
    return withPassword(ctx, me.userId, `${API}/delete_devices`, 'POST', { devices: others.map((s) => s.id) });
  }
  // Revoke's own device signs out without a password; the token stays until the homeserver refuses it (the check).
  if (target.id === me.deviceId) return logout(ctx);
  return withPassword(ctx, me.userId, `${API}/devices/${encodeURIComponent(target.id)}`, 'DELETE', {});
}

async function release(ctx: ConnectorContext): Promise<void> {
  try {
    if (await ctx.token?.get()) await logout(ctx);
  } finally {
    await ctx.token?.clear();
  }
}

/**
 * The homeserver's base URL from what was typed: a homeserver answers /_matrix/client/versions. A
 * server name that delegates elsewhere (its well-known names another address) is refused with that
 * address, which the person links instead (Revoke may only ask the origin it was allowed).
 */
async function resolveInstance(ctx: ConnectorContext): Promise<string> {
  const versions = await request(ctx, '/_matrix/client/versions', { anonymous: true }).catch((e: unknown) => {
    if (e instanceof ConnectorError && e.kind === 'page-changed') return null;
    throw e;
  });
  if (versions?.status === 200 && Array.isArray(versions.body.versions) && versions.body.versions.every((v) => typeof v === 'string')) return base(ctx);
  const found = await discoverHomeserver(`@x:${host(ctx)}`, async (url) => {
    const res = await ctx.fetch(url, { headers: { accept: 'application/json' } });
    return new Response(await res.text(), { status: res.status });
  });
  if (found.ok && found.delegated && found.homeserver !== base(ctx)) {
    throw connectorError('page-changed', { key: 'connErr_mxHomeserver', subs: [host(ctx), found.homeserver] });
  }
  throw pageChanged(ctx, versions?.detail ?? '/_matrix/client/versions: not JSON');
}

export const matrixConnector: Connector = {
  meta: {
    id: 'matrix',
    name: 'Matrix',
    origins: [],
    instanceUrl: {
      label: 'Homeserver',
      placeholder: 'https://matrix.example.org',
      help: 'Found from your Matrix ID; type it if it is not found.',
    },
    signIn: {
      userLabel: 'Matrix ID',
      userPlaceholder: '@me:example.org',
      help: 'Revoke signs in as a device of its own, named “Revoke”. Your password is used for that once and never stored.',
    },
    // Element's session manager is where Matrix devices are managed; there is no homeserver page for it.
    manageUrl: () => 'https://app.element.io/#/user-settings/sessions',
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: false, passwordToEnd: true },
  },
  whoami,
  listSessions,
  revoke,
  signIn,
  release,
  resolveInstance,
};
