/**
 * authentik (any instance), read from goauthentik/authentik as the code index stores it (each file
 * at its own commit, 2024-2025 era): authentik/core/api/authenticated_sessions.py @02b3bf53
 * (AuthenticatedSessionSerializer: uuid, current, user_agent (ua-parser), geo_ip, last_ip,
 * last_used, expires; the viewset: list with user__username, retrieve, destroy; owner_field user),
 * authentik/root/settings.py (CSRF_COOKIE_NAME authentik_csrf, CSRF_HEADER_NAME
 * HTTP_X_AUTHENTIK_CSRF, SESSION_COOKIE_NAME authentik_session; REST_FRAMEWORK: authentik's
 * Pagination, SessionAuthentication), the web UI's API client (its CSRFMiddleware copies the
 * authentik_csrf cookie into the CSRFHeaderName header, X-authentik-CSRF), authentik/core/api/
 * users.py (me).
 *
 * - Who am I: GET /api/v3/core/users/me/ -> {user: {pk, username, name, email}}; signed out is 403
 *   "Authentication credentials were not provided." (DRF's NotAuthenticated) or 401.
 * - GET /api/v3/core/authenticated_sessions/?user__username={me} -> {pagination: {next (a page
 *   number, 0 for none), ...}, results}. The filter matters: an admin sees everyone's sessions.
 * - DELETE /api/v3/core/authenticated_sessions/{uuid}/ -> 204. Session authentication makes it go
 *   through Django's CSRF check: the authentik_csrf cookie (readable by the page's script, so
 *   Revoke reads it through LocalState.scriptCookie, never the session cookie) in X-authentik-CSRF,
 *   and the site's own Origin (the context sends it). Refused: 403 {"detail": "CSRF Failed: ..."}.
 * - No "all others" for users: the engine ends them one by one; this browser's session ends too
 *   when asked for by id (authentik's list allows it).
 */
import { listOf, objectOf, optionalString, optionalTime, pageChanged, readJson, type JsonAnswer, type Service } from './json-api';
import { connectorError, instanceBase, isRecord } from './common';
import { ConnectorError, type Connector, type ConnectorContext, type RevokeTarget, type Session, type WhoAmI } from './types';
import { t } from '../i18n/t';

const API = '/api/v3';
const SESSIONS = `${API}/core/authenticated_sessions/`;
/** Pages of 100 (authentik's PAGE_SIZE) read at most. */
const MAX_PAGES = 20;

function service(ctx: ConnectorContext): Service {
  return { name: 'authentik', host: new URL(ctx.account.origin).host };
}

function signedOut(ctx: ConnectorContext): ConnectorError {
  return connectorError('signed-out', { key: 'connErr_signedOutAt', subs: ['authentik', service(ctx).host] });
}

const detailOf = (a: JsonAnswer) => (isRecord(a.body) && typeof a.body.detail === 'string' ? a.body.detail : '');

/** DRF's answer to a request without a signed-in user. */
const isSignedOut = (a: JsonAnswer) => a.status === 401 || (a.status === 403 && /credentials were not provided/i.test(detailOf(a)));

function failure(ctx: ConnectorContext, a: JsonAnswer): ConnectorError {
  if (isSignedOut(a)) return signedOut(ctx);
  if (a.status === 403 && /^CSRF Failed/i.test(detailOf(a))) {
    return connectorError('forbidden', { key: 'words_csrfRefusedOpenTab', subs: ['authentik', service(ctx).host] }, a.detail);
  }
  if (a.status === 403) return connectorError('forbidden', { key: 'connErr_refusedAt', subs: ['authentik', service(ctx).host] }, a.detail);
  return pageChanged(service(ctx), a.detail);
}

async function get(ctx: ConnectorContext, path: string): Promise<JsonAnswer> {
  const res = await ctx.fetch(`${instanceBase(ctx.account)}${path}`, { headers: { accept: 'application/json' } });
  return readJson(service(ctx), res, path.replace(/\?.*/, ''));
}

interface Me {
  pk: number;
  username: string;
  label: string;
}

async function readMe(ctx: ConnectorContext): Promise<Me | null> {
  const a = await get(ctx, `${API}/core/users/me/`);
  if (isSignedOut(a)) return null;
  if (a.status !== 200) throw failure(ctx, a);
  const user = objectOf(service(ctx), a).user;
  if (!isRecord(user) || typeof user.pk !== 'number' || typeof user.username !== 'string' || !user.username) {
    throw pageChanged(service(ctx), `${a.detail.slice(0, 60)}: no user`);
  }
  const email = optionalString(service(ctx), user, 'email', 'user');
  return { pk: user.pk, username: user.username, label: email && email !== user.username ? `${user.username} (${email})` : user.username };
}

// ---------------------------------------------------------------------------------------------
// Reading

function version(family: unknown, major: unknown): string | undefined {
  if (typeof family !== 'string' || !family || family === 'Other') return undefined;
  return typeof major === 'string' && major ? `${family} ${major}` : family;
}

function toSession(ctx: ConnectorContext, raw: unknown, i: number): Session & { user: unknown } {
  const svc = service(ctx);
  const where = `results[${i}]`;
  if (!isRecord(raw) || typeof raw.uuid !== 'string' || !raw.uuid) throw pageChanged(svc, `${where} has no uuid`);
  const session: Session & { user: unknown } = { id: raw.uuid, current: raw.current === true, extra: {}, user: raw.user };
  const ua = isRecord(raw.user_agent) ? raw.user_agent : {};
  const browser = isRecord(ua.user_agent) ? version(ua.user_agent.family, ua.user_agent.major) : undefined;
  const os = isRecord(ua.os) ? version(ua.os.family, ua.os.major) : undefined;
  const device = isRecord(ua.device) && typeof ua.device.family === 'string' && ua.device.family !== 'Other' ? ua.device.family : undefined;
  if (browser) session.browser = browser;
  if (os) session.os = os;
  if (device) session.device = device;
  const ip = optionalString(svc, raw, 'last_ip', where);
  if (ip) session.ip = ip;
  if (isRecord(raw.geo_ip)) {
    const place = [raw.geo_ip.city, raw.geo_ip.country].filter((p): p is string => typeof p === 'string' && p !== '').join(', ');
    if (place) session.location = place;
  }
  const used = optionalTime(svc, raw, 'last_used', where);
  const expires = optionalTime(svc, raw, 'expires', where);
  if (used) session.lastActiveAt = used;
  if (expires) session.expiresAt = expires;
  const agent = optionalString(svc, raw, 'last_user_agent', where);
  if (agent) session.extra[t('extra_userAgent')] = agent;
  return session;
}

async function readSessions(ctx: ConnectorContext, me: Me): Promise<Session[]> {
  const out: Session[] = [];
  for (let page = 1; ; ) {
    if (page > MAX_PAGES) throw pageChanged(service(ctx), `more than ${MAX_PAGES} pages of sessions`);
    const a = await get(ctx, `${SESSIONS}?${new URLSearchParams({ user__username: me.username, page: String(page) })}`);
    if (a.status !== 200) throw failure(ctx, a);
    const body = objectOf(service(ctx), a);
    const results = listOf(service(ctx), { ...a, body: body.results });
    // Only the person's own, even if a filter were dropped on the way (an admin sees everyone's).
    for (const [i, raw] of results.entries()) {
      const { user, ...session } = toSession(ctx, raw, out.length + i);
      if (user === me.pk) out.push(session);
    }
    const next = isRecord(body.pagination) ? body.pagination.next : undefined;
    if (typeof next !== 'number') throw pageChanged(service(ctx), `${a.detail.slice(0, 60)}: no pagination`);
    if (next === 0) return out;
    if (next <= page) throw pageChanged(service(ctx), 'pagination going backwards');
    page = next;
  }
}

// ---------------------------------------------------------------------------------------------
// Operations

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const me = await readMe(ctx);
  return me && { account: me.label };
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  const me = await readMe(ctx);
  if (!me) throw signedOut(ctx);
  return readSessions(ctx, me);
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  if (typeof target !== 'object') throw connectorError('unsupported', { key: 'words_oneAtATime', subs: ['authentik'] });
  const me = await readMe(ctx);
  if (!me) throw signedOut(ctx);
  const csrf = await ctx.local.scriptCookie?.(ctx.account.origin, 'authentik_csrf');
  if (!csrf) {
    throw connectorError('forbidden', { key: 'words_noCsrfCookie', subs: ['authentik', service(ctx).host] }, 'no authentik_csrf cookie');
  }
  const path = `${SESSIONS}${encodeURIComponent(target.id)}/`;
  const res = await ctx.fetch(`${instanceBase(ctx.account)}${path}`, { method: 'DELETE', headers: { accept: 'application/json', 'x-authentik-csrf': csrf } });
  const a = await readJson(service(ctx), res, `${SESSIONS}…/`);
  // 404: not (or no longer) one of yours: nothing to end, which the engine's check confirms.
  if (a.status === 204 || a.status === 404) return;
  throw failure(ctx, a);
}

export const authentikConnector: Connector = {
  meta: {
    id: 'authentik',
    name: 'authentik',
    origins: [],
    instanceUrl: {
      label: 'authentik address',
      placeholder: 'https://auth.example.com',
      help: 'The address of your authentik, as you sign in there. Revoke lists your sessions and ends them one at a time.',
    },
    manageUrl: (account) => `${instanceBase(account)}/if/user/#/settings`,
    can: { list: true, revokeOne: true, revokeOthers: false, revokeAll: false, localSignOut: true },
  },
  whoami,
  listSessions,
  revoke,
};
