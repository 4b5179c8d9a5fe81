/**
 * Ory Kratos (self-hosted, or an Ory Network project), read from ory/kratos at v26.2.0-202-gb86338da0
 * (2026-07-29): session/handler.go (RegisterPublicRoutes, whoami, listMySessions, deleteMySessions,
 * deleteMySession), session/session.go (Session and Device JSON, SetSessionDeviceInformation),
 * session/error.go (ErrNoSessionFound), x/pagination.go, driver/config/config.go
 * (DefaultSessionCookieName).
 *
 * - The person's ory_kratos_session cookie is the credential; the session routes are exempt from
 *   Kratos's anti-CSRF check, so no token is fetched or sent.
 * - GET /sessions/whoami -> this browser's session {id, active, expires_at, authenticated_at,
 *   authenticator_assurance_level, authentication_methods, identity {id, traits}, devices
 *   [{ip_address, user_agent, location}]}; 401 when signed out; 403 session_aal2_required when
 *   Kratos wants a second factor first.
 * - GET /sessions -> the identity's other active sessions (this one left out), paged with Link
 *   rel="next"; DELETE /sessions ends them all (200 {count}); DELETE /sessions/{id} ends one (204).
 *   This browser's own session cannot be ended there (400 "use the logout flow instead"): Revoke
 *   ends it with Kratos's browser logout flow (selfservice/flow/logout/handler.go): GET
 *   /self-service/logout/browser -> {logout_token}, then GET /self-service/logout?token= as a JSON
 *   request -> 204, the session purged and its cookie cleared; a token not of this cookie's session
 *   is 403.
 * - The instance is Kratos's public API: its own address, or the folder an app proxies it under
 *   (https://example.com/.ory).
 */
import { listOf, objectOf, optionalString, optionalTime, pageChanged, readJson, type JsonAnswer, type Service } from './json-api';
import { connectorError, early, instanceBase, isRecord } from './common';
import { parseUserAgent } from './user-agent';
import { ConnectorError, type Connector, type ConnectorContext, type RevokeTarget, type Session, type WhoAmI } from './types';
import { t } from '../i18n/t';

/** Pages of other sessions read at most (250 each by default): a bound, not a limit anyone meets. */
const MAX_PAGES = 20;

function service(ctx: ConnectorContext): Service {
  return { name: 'Ory Kratos', host: new URL(ctx.account.origin).host };
}

function signedOut(ctx: ConnectorContext): ConnectorError {
  return connectorError('signed-out', { key: 'connErr_signedOutAt', subs: ['Ory Kratos', service(ctx).host] });
}

/** A Kratos session route answered with an error: what it means. */
function failure(ctx: ConnectorContext, a: JsonAnswer): ConnectorError {
  const error = isRecord(a.body) && isRecord(a.body.error) ? a.body.error : undefined;
  if (a.status === 401) return signedOut(ctx);
  if (a.status === 403 && error?.id === 'session_aal2_required') {
    return connectorError('reauth', { key: 'words_secondFactor', subs: [service(ctx).host] }, a.detail);
  }
  if (a.status === 403) return connectorError('forbidden', { key: 'connErr_refused', subs: [service(ctx).host] }, a.detail);
  return pageChanged(service(ctx), a.detail);
}

async function call(ctx: ConnectorContext, path: string, method: 'GET' | 'DELETE' = 'GET'): Promise<JsonAnswer> {
  const res = await ctx.fetch(`${instanceBase(ctx.account)}${path}`, { method, headers: { accept: 'application/json' } });
  // Neither a session id nor a logout token goes into what the person may see.
  return readJson(service(ctx), res, path.replace(/\?.*/, '').replace(/^\/sessions\/(?!whoami).+/, '/sessions/…'));
}

// ---------------------------------------------------------------------------------------------
// Reading

function toSession(ctx: ConnectorContext, raw: unknown, where: string, current: boolean): Session {
  const svc = service(ctx);
  if (!isRecord(raw) || typeof raw.id !== 'string' || !raw.id) throw pageChanged(svc, `${where} has no id`);
  const session: Session = { id: raw.id, current, extra: {} };
  // One device per sign-in; a session refreshed from elsewhere may add more: the latest tells where it is now.
  const devices = Array.isArray(raw.devices) ? raw.devices.filter(isRecord) : [];
  const device = devices[devices.length - 1];
  if (device) {
    const ua = optionalString(svc, device, 'user_agent', `${where}.devices`);
    Object.assign(session, parseUserAgent(ua));
    if (ua) session.extra[t('extra_userAgent')] = ua;
    const ip = optionalString(svc, device, 'ip_address', `${where}.devices`);
    const location = optionalString(svc, device, 'location', `${where}.devices`);
    if (ip) session.ip = ip;
    if (location) session.location = location;
  }
  const authenticated = optionalTime(svc, raw, 'authenticated_at', where);
  const expires = optionalTime(svc, raw, 'expires_at', where);
  if (authenticated) session.createdAt = authenticated;
  if (expires) session.expiresAt = expires;
  const methods = Array.isArray(raw.authentication_methods)
    ? raw.authentication_methods.flatMap((m) => (isRecord(m) && typeof m.method === 'string' ? [m.method] : []))
    : [];
  if (methods.length > 0) session.extra[t('extra_signedInWith')] = [...new Set(methods)].join(', ');
  if (devices.length > 1) session.extra.Devices = String(devices.length);
  return session;
}

/** This browser's session, or null when Kratos says nobody is signed in here. */
async function readWhoami(ctx: ConnectorContext): Promise<Record<string, unknown> | null> {
  const a = await call(ctx, '/sessions/whoami');
  if (a.status === 401) return null;
  if (a.status !== 200) throw failure(ctx, a);
  return objectOf(service(ctx), a);
}

/** The other sessions, page by page as Kratos links them (its own links only: ctx.fetch stays on the origin). */
async function readOthers(ctx: ConnectorContext): Promise<Session[]> {
  const out: Session[] = [];
  let path: string | null = '/sessions';
  for (let page = 0; path !== null; page++) {
    if (page === MAX_PAGES) throw pageChanged(service(ctx), `more than ${MAX_PAGES} pages of sessions`);
    const a = await call(ctx, path);
    if (a.status !== 200) throw failure(ctx, a);
    out.push(...listOf(service(ctx), a).map((s, i) => toSession(ctx, s, `sessions[${out.length + i}]`, false)));
    path = nextPage(ctx, a.headers.get('link'));
  }
  return out;
}

/** The path of the Link rel="next" target, kept under the instance's folder, or null. */
function nextPage(ctx: ConnectorContext, link: string | null): string | null {
  const href = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1];
  if (!href) return null;
  const base = new URL(instanceBase(ctx.account));
  const target = new URL(href, `${base.origin}/`);
  const folder = base.pathname.replace(/\/+$/, '');
  // Kratos writes its links from its own root; behind a proxy folder they lack the folder.
  const path = target.pathname.startsWith(`${folder}/sessions`) ? target.pathname.slice(folder.length) : target.pathname;
  if (target.origin !== base.origin || !path.startsWith('/sessions')) throw pageChanged(service(ctx), 'a next page outside the session list');
  return `${path}${target.search}`;
}

// ---------------------------------------------------------------------------------------------
// Operations

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const s = await readWhoami(ctx);
  if (!s) return null;
  const identity = isRecord(s.identity) ? s.identity : undefined;
  const traits = identity && isRecord(identity.traits) ? identity.traits : {};
  // Traits follow each project's identity schema: the usual identifiers, else the identity's id.
  const name = ['email', 'username', 'phone'].map((k) => traits[k]).find((v): v is string => typeof v === 'string' && v !== '');
  const account = name ?? (typeof identity?.id === 'string' ? identity.id : undefined);
  if (!account || typeof s.id !== 'string') throw pageChanged(service(ctx), '/sessions/whoami: no identity or session id');
  return { account, sessionId: s.id };
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  // /sessions leaves this browser's session out; whoami gives it. Both at once.
  const others = early(readOthers(ctx));
  const mine = await readWhoami(ctx);
  if (!mine) throw signedOut(ctx);
  return [toSession(ctx, mine, 'whoami', true), ...(await others)];
}

/** This browser's session, through Kratos's own browser logout flow (its list refuses it). */
async function logOutHere(ctx: ConnectorContext): Promise<void> {
  const flow = await call(ctx, '/self-service/logout/browser');
  if (flow.status !== 200) throw failure(ctx, flow);
  const token = objectOf(service(ctx), flow).logout_token;
  if (typeof token !== 'string' || !token) throw pageChanged(service(ctx), '/self-service/logout/browser: no logout_token');
  const done = await call(ctx, `/self-service/logout?${new URLSearchParams({ token })}`);
  if (done.status !== 204) throw failure(ctx, done);
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void | { ended: string }> {
  const mine = await readWhoami(ctx);
  if (!mine) throw signedOut(ctx);
  if (target === 'others' || target === 'all') {
    const a = await call(ctx, '/sessions', 'DELETE');
    if (a.status !== 200) throw failure(ctx, a);
    const count = objectOf(service(ctx), a).count;
    if (typeof count !== 'number') throw pageChanged(service(ctx), `${a.detail}: no count`);
    if (target === 'all') await logOutHere(ctx);
    return { ended: `${service(ctx).host} ended ${count} other ${count === 1 ? 'session' : 'sessions'}${target === 'all' ? ', then this browser’s' : ''}.` };
  }
  if (target.id === mine.id) return logOutHere(ctx);
  const a = await call(ctx, `/sessions/${encodeURIComponent(target.id)}`, 'DELETE');
  // 404: not (or no longer) one of yours: nothing to end, which the engine's check confirms.
  if (a.status === 204 || a.status === 404) return;
  throw failure(ctx, a);
}

export const kratosConnector: Connector = {
  meta: {
    id: 'kratos',
    name: 'Ory Kratos',
    origins: [],
    instanceUrl: {
      label: 'Ory Kratos address',
      placeholder: 'https://auth.example.com',
      help: 'The address of the Ory Kratos (or Ory Network) API your site signs in with, with its folder if it has one (https://example.com/.ory). Revoke lists your sessions and ends them; this browser’s through Kratos’s own sign-out.',
    },
    manageUrl: (account) => `${instanceBase(account)}/self-service/settings/browser`,
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true, sessionStart: true },
  },
  whoami,
  listSessions,
  revoke,
};
