/**
 * Any Discourse forum, read from discourse/discourse's source (the index's stored versions:
 * app/controllers/users_controller.rb @17bdffc9 (show, revoke_auth_token),
 * app/controllers/session_controller.rb @33b93124 (csrf, current),
 * app/controllers/application_controller.rb @8cafdafc (handle_unverified_request, check_xhr, errors),
 * app/serializers/user_auth_token_serializer.rb @15e438bc and concerns/user_auth_tokens_mixin.rb,
 * lib/auth/default_current_user_provider.rb @0a9b83a6 (the `_t` cookie, rotation, find_auth_token)):
 *
 * - GET /session/current.json -> {current_user: {username, ...}}; signed out: 404, empty body.
 * - GET /u/{username}.json -> {user}; `user_auth_tokens` (id, client_ip, location, browser, device,
 *   os, created_at, seen_at, is_active) is a private field, present only for the signed-in user.
 *   is_active is `guardian.auth_token == token.auth_token`: the token of this request's `_t`
 *   cookie, i.e. this browser.
 * - POST /u/{username}/preferences/revoke-auth-token: with token_id ends that token, but refuses
 *   (400) a token of another user and this request's own token; without token_id ends every token,
 *   this browser's included. "All others" is therefore one request per token.
 * - Unsafe requests need X-CSRF-Token from GET /session/csrf (403 `["BAD CSRF"]` otherwise, checked
 *   first). Without X-Requested-With (or JSON asked for) the controllers answer 200 with the HTML
 *   app shell and do nothing: a 200 is success only with the JSON Discourse sends.
 * - `_t` rotates every 10 minutes (same token id; the browser keeps the new value): nothing here
 *   stores it.
 * - Recognising a forum in a tab: every page carries `<meta name="generator" content="Discourse
 *   {version} - https://github.com/discourse/discourse ...">` (app/views/layouts/_head.html.erb,
 *   rendered by the application and crawler layouts), and the app layout
 *   (application.html.erb @005e1ecb) `<meta id="data-discourse-setup" data-base-uri="{subfolder}">`
 *   (ApplicationHelper#client_side_setup_data: base_uri is Discourse.base_path, "" at the root).
 */
import { excerpt } from './context';
import { connectorError, failureText, instanceBase, isRecord } from './common';
import { t } from '../i18n/t';
import {
  ConnectorError,
  type PlainListConnector,
  type ConnectorContext,
  detector,
  type FetchInit,
  type RevokeTarget,
  type Session,
  type WhoAmI,
} from './types';

/** The forum's base URL (an instance may live under a subfolder such as /forum). */
const baseUrl = (ctx: ConnectorContext) => instanceBase(ctx.account);

function forum(ctx: ConnectorContext): string {
  const url = new URL(baseUrl(ctx));
  return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** What Discourse's own front end sends: without these its controllers answer with the HTML shell. */
const XHR = { 'x-requested-with': 'XMLHttpRequest', accept: 'application/json' };

function pageChanged(ctx: ConnectorContext, detail: string): ConnectorError {
  return connectorError('page-changed', { key: 'connErr_dcChanged', subs: [forum(ctx)] }, detail);
}

function signedOut(ctx: ConnectorContext, detail?: string): ConnectorError {
  return connectorError('signed-out', { key: 'connErr_signedOut', subs: [forum(ctx)] }, detail);
}

/** A JSON answer from the forum, or the failure its status and body say. */
async function call(ctx: ConnectorContext, path: string, init: FetchInit = {}): Promise<unknown> {
  const res = await ctx.fetch(`${baseUrl(ctx)}${path}`, { ...init, headers: { ...XHR, ...init.headers } });
  const body = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const detail = `HTTP ${res.status} ${path}: ${excerpt(body)}`;
  if (res.status === 403 && body.includes('BAD CSRF')) {
    throw connectorError('forbidden', { key: 'connErr_dcCsrf', subs: [forum(ctx)] }, detail);
  }
  if (res.status >= 200 && res.status < 300) {
    if (!type.includes('json')) throw pageChanged(ctx, detail);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw pageChanged(ctx, detail);
    }
  }
  const errorType = errorTypeOf(body);
  if (errorType === 'not_logged_in') throw signedOut(ctx, detail);
  if (res.status === 403) throw connectorError('forbidden', { key: 'connErr_refused', subs: [forum(ctx)] }, detail);
  if (res.status === 429) throw connectorError('server', { key: 'connErr_slowDown', subs: [forum(ctx)] }, detail);
  if (res.status >= 500) throw connectorError('server', { key: 'connErr_server', subs: [forum(ctx), String(res.status)] }, detail);
  if (res.status === 404) throw pageChanged(ctx, detail);
  throw connectorError('server', { key: 'connErr_errorStatus', subs: [forum(ctx), String(res.status)] }, detail);
}

function errorTypeOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) && typeof parsed.error_type === 'string' ? parsed.error_type : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Who am I, and the tokens

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const res = await ctx.fetch(`${baseUrl(ctx)}/session/current.json`, { headers: XHR });
  const body = await res.text();
  // Signed out is exactly this: 404 with nothing in it. A 404 page with content is another site.
  if (res.status === 404 && body.trim() === '') return null;
  if (res.status !== 200 || !(res.headers.get('content-type') ?? '').includes('json')) {
    throw pageChanged(ctx, `HTTP ${res.status} /session/current.json: ${excerpt(body)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw pageChanged(ctx, `/session/current.json: not JSON: ${excerpt(body)}`);
  }
  const user = isRecord(parsed) ? parsed.current_user : undefined;
  if (!isRecord(user) || typeof user.username !== 'string' || user.username === '') throw pageChanged(ctx, '/session/current.json: no current_user.username');
  return { account: user.username };
}

/** One user_auth_tokens entry; ids stay numbers inside this module. */
interface AuthToken {
  id: number;
  active: boolean;
  session: Session;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function time(v: unknown): number | undefined {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function readToken(ctx: ConnectorContext, v: unknown, i: number): AuthToken {
  if (!isRecord(v) || typeof v.id !== 'number' || !Number.isInteger(v.id)) throw pageChanged(ctx, `user_auth_tokens[${i}] has no numeric id`);
  const session: Session = { id: String(v.id), current: v.is_active === true, extra: {} };
  const fields: [keyof Session, unknown][] = [['browser', v.browser], ['device', v.device], ['os', v.os], ['ip', v.client_ip], ['location', v.location]];
  for (const [key, value] of fields) {
    const t = text(value);
    if (t !== undefined) (session as unknown as Record<string, unknown>)[key] = t;
  }
  const createdAt = time(v.created_at);
  const seenAt = time(v.seen_at);
  if (createdAt !== undefined) session.createdAt = createdAt;
  if (seenAt !== undefined) session.lastActiveAt = seenAt;
  return { id: v.id, active: v.is_active === true, session };
}

async function listTokens(ctx: ConnectorContext): Promise<{ username: string; tokens: AuthToken[] }> {
  const me = await whoami(ctx);
  if (!me) throw signedOut(ctx);
  const body = await call(ctx, `/u/${encodeURIComponent(me.account)}.json`);
  const user = isRecord(body) ? body.user : undefined;
  const list = isRecord(user) ? user.user_auth_tokens : undefined;
  // Absent, not empty, when the forum does not show this user's tokens to this session.
  if (!Array.isArray(list)) throw pageChanged(ctx, `/u/${me.account}.json: no user_auth_tokens list`);
  return { username: me.account, tokens: list.map((t, i) => readToken(ctx, t, i)) };
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  return (await listTokens(ctx)).tokens.map((t) => t.session);
}

// ---------------------------------------------------------------------------------------------
// Ending sessions

async function csrfToken(ctx: ConnectorContext): Promise<string> {
  const body = await call(ctx, '/session/csrf');
  if (!isRecord(body) || typeof body.csrf !== 'string' || body.csrf === '') throw pageChanged(ctx, '/session/csrf: no csrf token');
  return body.csrf;
}

async function postRevoke(ctx: ConnectorContext, username: string, tokenId?: number): Promise<void> {
  const csrf = await csrfToken(ctx);
  const body = await call(ctx, `/u/${encodeURIComponent(username)}/preferences/revoke-auth-token`, {
    method: 'POST',
    headers: { 'x-csrf-token': csrf },
    form: tokenId === undefined ? {} : { token_id: String(tokenId) },
  });
  if (!isRecord(body) || body.success !== 'OK') throw pageChanged(ctx, `revoke-auth-token: expected {success: "OK"}, got ${excerpt(JSON.stringify(body) ?? '')}`);
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  if (target === 'all') {
    const me = await whoami(ctx);
    if (!me) throw signedOut(ctx);
    return postRevoke(ctx, me.account);
  }
  const { username, tokens } = await listTokens(ctx);
  if (target === 'others') {
    if (!tokens.some((t) => t.active)) {
      throw connectorError('unsupported', { key: 'connErr_noCurrentSaid', subs: [forum(ctx)] });
    }
    const others = tokens.filter((t) => !t.active);
    for (const [i, t] of others.entries()) {
      try {
        await postRevoke(ctx, username, t.id);
      } catch (e) {
        if (i === 0 || !(e instanceof ConnectorError)) throw e;
        throw connectorError(e.kind, { key: 'connErr_endedOthersThen', subs: [i, others.length, failureText(e)] }, e.detail);
      }
    }
    return;
  }
  const token = tokens.find((t) => String(t.id) === target.id);
  // Already gone (ended elsewhere, or expired): what the person asked for holds; the engine verifies.
  if (!token) return;
  if (token.active) {
    throw connectorError('unsupported', { key: 'connErr_dcOwn', subs: [t('action_signOutOfSite')] });
  }
  return postRevoke(ctx, username, token.id);
}

/** A subfolder as Discourse writes base_uri: "" or "/forum" (segments, no trailing slash). */
const BASE_PATH = /^(?:\/[\w.~%!$&'()*+,;=:@-]+)*$/;

const detect = detector(
  { generator: 'meta[name="generator"]@content', baseUri: 'meta#data-discourse-setup@data-base-uri' },
  ({ url, values }) => {
    const [baseUri] = values.baseUri;
    if (!values.generator.some((g) => g.startsWith('Discourse ')) && baseUri === undefined) return null;
    const base = baseUri ?? '';
    // A subfolder that is not where the tab is, or not a path, is a page Revoke does not understand.
    if (!BASE_PATH.test(base) || !(url.pathname === base || url.pathname.startsWith(`${base}/`))) return null;
    return url.origin + base;
  },
);

export const discourseConnector: PlainListConnector = {
  meta: {
    id: 'discourse',
    name: 'Discourse forum',
    origins: [],
    instanceUrl: {
      label: 'Forum address',
      placeholder: 'https://forum.example.com',
      help: "The forum's address as your browser shows it, with its folder if it has one (https://example.com/forum).",
    },
    manageUrl: (account) => `${instanceBase(account)}/my/preferences/security`,
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true, sessionStart: true },
  },
  whoami,
  listSessions,
  revoke,
  detect,
};
