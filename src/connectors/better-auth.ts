/**
 * Any app built on better-auth (https://better-auth.com), read from better-auth 1.7's own source
 * (dist/api/routes/session.mjs, api/middlewares/origin-check.mjs, @better-auth/core error codes):
 *
 * - GET  {base}/get-session   -> {session, user} or null (signed out). Revoke asks with
 *        disableRefresh + disableCookieCache so that looking never extends a session and never
 *        reads a stale cookie cache after a revoke.
 * - GET  {base}/list-sessions -> Session[] (id, token, userId, ipAddress, userAgent, createdAt,
 *        updatedAt, expiresAt, plugin fields). Guarded by the "fresh session" rule: a session older
 *        than session.freshAge (default 1 day) gets 403 SESSION_NOT_FRESH. get-session is not
 *        guarded and gives the same fields for this browser's session, so past a day Revoke shows
 *        that one alone and says the others are hidden (SessionList.hidden), never "no others".
 * - POST {base}/revoke-session {token}, /revoke-other-sessions, /revoke-sessions -> {status: true}.
 *        These need only a valid session, not a fresh one. revoke-session takes the session
 *        *token* (a bearer secret), never the id, and answers {status: true} even for an unknown token.
 * - POST requests that carry cookies pass the origin check only with a trusted Origin (403
 *   INVALID_ORIGIN, or MISSING_OR_NULL_ORIGIN without one); the context sends the app's own.
 *
 * Tokens never leave this module: sessions are shown by their id, and ending one session lists
 * the sessions again (or, past a day, reads this browser's from get-session) to find its token
 * right before the call.
 */
import { excerpt } from './context';
import { connectorError, early } from './common';
import { parseUserAgent } from './user-agent';
import {
  ConnectorError,
  type Connector,
  type ConnectorContext,
  type FetchInit,
  type LinkedAccountRef,
  type RevokeTarget,
  type Session,
  type SessionList,
  type WhoAmI,
} from './types';
import { t } from '../i18n/t';

/** better-auth's default basePath, used when an account has no instance URL. */
const DEFAULT_BASE_PATH = '/api/auth';

function baseUrl(account: LinkedAccountRef): string {
  return (account.instanceUrl ?? `${account.origin}${DEFAULT_BASE_PATH}`).replace(/\/+$/, '');
}

function appName(ctx: ConnectorContext): string {
  return new URL(ctx.account.origin).host;
}

// ---------------------------------------------------------------------------------------------
// Calls and their failures

const SIGN_IN_PATH = /(?:^|\/)(?:log-?in|sign-?in|signin|auth(?:enticate)?|sso|session\/new)(?:\/|$|\?|\.)/i;

async function callApi(ctx: ConnectorContext, path: string, init?: FetchInit): Promise<unknown> {
  const app = appName(ctx);
  const res = await ctx.fetch(`${baseUrl(ctx.account)}${path}`, init);
  // better-auth's API never redirects. A redirect to a sign-in page means something in front of
  // it (app middleware, an SSO proxy) wants a sign-in first; any other redirect, a different page.
  if (res.redirected) {
    const where = new URL(res.url).pathname;
    if (SIGN_IN_PATH.test(where)) throw connectorError('signed-out', { key: 'connErr_baSignInPage', subs: [app] }, `redirected to ${where}`);
    throw connectorError('page-changed', { key: 'connErr_baRedirect', subs: [app, baseUrl(ctx.account)] }, `redirected to ${where}`);
  }
  if (res.status >= 200 && res.status < 300) return res.json();
  throw await failureOf(ctx, res.status, () => res.json());
}

async function failureOf(ctx: ConnectorContext, status: number, readBody: () => Promise<unknown>): Promise<ConnectorError> {
  const app = appName(ctx);
  const body = await readBody().catch(() => undefined);
  const code = isRecord(body) && typeof body.code === 'string' ? body.code : '';
  const detail = `HTTP ${status}${code ? ` ${code}` : ''}`;
  if (status === 401) return connectorError('signed-out', { key: 'connErr_signedOut', subs: [app] }, detail);
  if (code === 'SESSION_NOT_FRESH' || code === 'SESSION_EXPIRED') {
    return connectorError(
      'reauth',
      { key: 'connErr_baFresh', subs: [app] },
      detail,
    );
  }
  if (code === 'INVALID_ORIGIN' || code === 'MISSING_OR_NULL_ORIGIN') {
    return connectorError(
      'forbidden',
      { key: 'connErr_baOrigin', subs: [app] },
      detail,
    );
  }
  if (status === 403) return connectorError('forbidden', { key: 'connErr_refused', subs: [app] }, detail);
  if (status === 404) return connectorError('page-changed', { key: 'connErr_baNoApi', subs: [app, baseUrl(ctx.account)] }, detail);
  if (status === 429) return connectorError('server', { key: 'connErr_slowDown', subs: [app] }, detail);
  if (status >= 500) return connectorError('server', { key: 'connErr_server', subs: [app, String(status)] }, detail);
  return connectorError('server', code ? { key: 'connErr_baErrorCode', subs: [app, code] } : { key: 'connErr_baError', subs: [app] }, detail);
}

// ---------------------------------------------------------------------------------------------
// Shapes. Anything unexpected is 'page-changed', never an empty list.

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pageChanged(ctx: ConnectorContext, what: string): ConnectorError {
  return connectorError('page-changed', { key: 'connErr_baUnknownData', subs: [appName(ctx)] }, what);
}

function requireString(ctx: ConnectorContext, v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') throw pageChanged(ctx, `${where} is not a string`);
  return v;
}

function optionalString(ctx: ConnectorContext, v: unknown, where: string): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw pageChanged(ctx, `${where} is not a string`);
  return v;
}

/** better-auth serialises dates as ISO strings; numbers are taken as Unix ms. */
function requireTime(ctx: ConnectorContext, v: unknown, where: string): number {
  const ms = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(ms)) throw pageChanged(ctx, `${where} is not a date`);
  return ms;
}

/** A listed session, token included: stays inside this module. */
interface RawSession {
  id: string;
  token: string;
  userAgent?: string;
  ipAddress?: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  /** Fields better-auth plugins add (impersonatedBy, activeOrganizationId, ...). */
  other: Record<string, unknown>;
}

const KNOWN_FIELDS = new Set(['id', 'token', 'userId', 'userAgent', 'ipAddress', 'createdAt', 'updatedAt', 'expiresAt']);
/** Field names that may hold credentials: never shown, whatever a plugin puts in them. */
const SECRET_FIELD = /token|secret|password|key|hash|signature/i;

function readSession(ctx: ConnectorContext, v: unknown, where: string): RawSession {
  if (!isRecord(v)) throw pageChanged(ctx, `${where} is not an object`);
  const other: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v)) if (!KNOWN_FIELDS.has(k)) other[k] = value;
  const session: RawSession = {
    id: requireString(ctx, v.id, `${where}.id`),
    token: requireString(ctx, v.token, `${where}.token`),
    createdAt: requireTime(ctx, v.createdAt, `${where}.createdAt`),
    updatedAt: requireTime(ctx, v.updatedAt, `${where}.updatedAt`),
    expiresAt: requireTime(ctx, v.expiresAt, `${where}.expiresAt`),
    other,
  };
  const userAgent = optionalString(ctx, v.userAgent, `${where}.userAgent`);
  const ipAddress = optionalString(ctx, v.ipAddress, `${where}.ipAddress`);
  if (userAgent !== undefined) session.userAgent = userAgent;
  if (ipAddress !== undefined) session.ipAddress = ipAddress;
  return session;
}

function readSessionList(ctx: ConnectorContext, body: unknown): RawSession[] {
  if (!Array.isArray(body)) throw pageChanged(ctx, `list-sessions: expected a list, got ${body === null ? 'null' : typeof body}`);
  return body.map((item, i) => readSession(ctx, item, `list-sessions[${i}]`));
}

/** Plain text for the details view; a value holding the token is dropped, not shown. */
function extraText(value: unknown, token: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (text.includes(token)) return undefined;
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function toSession(raw: RawSession, currentId: string | undefined): Session {
  const extra: Record<string, string> = {};
  if (raw.userAgent) extra[t('extra_userAgent')] = raw.userAgent;
  for (const [key, value] of Object.entries(raw.other)) {
    if (SECRET_FIELD.test(key)) continue;
    const text = extraText(value, raw.token);
    if (text !== undefined) extra[key] = text;
  }
  const session: Session = {
    id: raw.id,
    current: raw.id === currentId,
    ...parseUserAgent(raw.userAgent),
    createdAt: raw.createdAt,
    lastActiveAt: raw.updatedAt,
    expiresAt: raw.expiresAt,
    extra,
  };
  if (raw.ipAddress) session.ip = raw.ipAddress;
  return session;
}

// ---------------------------------------------------------------------------------------------
// Operations

type GetSession = { session: Record<string, unknown>; user: Record<string, unknown> } | null;

async function getSession(ctx: ConnectorContext): Promise<GetSession> {
  const body = await callApi(ctx, '/get-session?disableCookieCache=true&disableRefresh=true');
  if (body === null) return null;
  if (!isRecord(body) || !isRecord(body.session) || !isRecord(body.user)) throw pageChanged(ctx, 'get-session: expected {session, user} or null');
  return { session: body.session, user: body.user };
}

function whoFrom(ctx: ConnectorContext, body: NonNullable<GetSession>): WhoAmI {
  const sessionId = requireString(ctx, body.session.id, 'get-session.session.id');
  const { email, name, id } = body.user;
  const account = [email, name, id].find((v): v is string => typeof v === 'string' && v !== '');
  if (account === undefined) throw pageChanged(ctx, 'get-session.user has no email, name or id');
  return { account, sessionId };
}

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const body = await getSession(ctx);
  return body && whoFrom(ctx, body);
}

/** The list's refusal of a sign-in older than freshAge (the only 'reauth' list-sessions gives). */
const isNotFresh = (e: unknown) => e instanceof ConnectorError && e.kind === 'reauth';

/**
 * better-auth's API base from the address a person sees: what they typed, else better-auth's
 * documented default base path (/api/auth) under it or under the origin. A base is the API when
 * get-session answers as better-auth does (null, a session, or a sign-in the API asks for).
 */
async function resolveInstance(ctx: ConnectorContext): Promise<string> {
  const typed = baseUrl(ctx.account);
  const candidates = [...new Set([typed, `${typed}${DEFAULT_BASE_PATH}`, `${ctx.account.origin}${DEFAULT_BASE_PATH}`])]
    .filter((base) => !base.endsWith(`${DEFAULT_BASE_PATH}${DEFAULT_BASE_PATH}`));
  for (const base of candidates) {
    try {
      await whoami({ ...ctx, account: { ...ctx.account, instanceUrl: base } });
      return base;
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      if (e.kind === 'signed-out' || e.kind === 'reauth') return base;
      if (e.kind !== 'page-changed') throw e; // offline, refused: nothing is known about this address
    }
  }
  throw connectorError('page-changed', { key: 'connErr_baNotFound', subs: [typed, `${typed}${DEFAULT_BASE_PATH}`] });
}

async function listRaw(ctx: ConnectorContext): Promise<RawSession[]> {
  return readSessionList(ctx, await callApi(ctx, '/list-sessions'));
}

/**
 * get-session tells which listed session is this browser's; the two requests go out at once (in a
 * look the engine's own who-am-I shares the get-session: src/connectors/shared-reads.ts). Past
 * freshAge the list is refused: this browser's session alone, the others said to be hidden.
 */
async function listSessions(ctx: ConnectorContext): Promise<SessionList> {
  const listing = early(listRaw(ctx));
  const body = await getSession(ctx);
  if (!body) throw connectorError('signed-out', { key: 'connErr_signedOut', subs: [appName(ctx)] });
  const me = whoFrom(ctx, body);
  try {
    return { sessions: (await listing).map((s) => toSession(s, me.sessionId)) };
  } catch (e) {
    if (!isNotFresh(e)) throw e;
    let own: RawSession;
    try {
      own = readSession(ctx, body.session, 'get-session.session');
    } catch {
      throw e; // an app that trims get-session's fields: the list's own refusal says it best
    }
    return { sessions: [toSession(own, own.id)], hidden: { key: 'connErr_baFresh', subs: [appName(ctx)] } };
  }
}

async function expectStatusTrue(ctx: ConnectorContext, path: string, json: unknown): Promise<void> {
  const body = await callApi(ctx, path, { method: 'POST', json });
  if (!isRecord(body) || typeof body.status !== 'boolean') throw pageChanged(ctx, `${path}: expected {status}, got ${excerpt(JSON.stringify(body) ?? '')}`);
  if (!body.status) throw connectorError('server', { key: 'connErr_baNotEnded', subs: [appName(ctx)] }, `${path}: status false`);
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  if (target === 'others') return expectStatusTrue(ctx, '/revoke-other-sessions', {});
  if (target === 'all') return expectStatusTrue(ctx, '/revoke-sessions', {});
  // better-auth ends one session only by its token. Rather than keep tokens between calls (they
  // would end up in the engine's state and journal), find it again now: past freshAge only this
  // browser's can be found (get-session); another's refusal stands.
  const listed = await listRaw(ctx).catch(async (e: unknown) => {
    const body = isNotFresh(e) ? await getSession(ctx) : null;
    if (body?.session.id !== target.id) throw e;
    return [readSession(ctx, body.session, 'get-session.session')];
  });
  const session = listed.find((s) => s.id === target.id);
  // Already gone (ended elsewhere, or expired): what the person asked for holds; the engine verifies.
  if (!session) return;
  return expectStatusTrue(ctx, '/revoke-session', { token: session.token });
}

export const betterAuthConnector: Connector = {
  meta: {
    id: 'better-auth',
    name: 'Apps built on better-auth',
    origins: [],
    instanceUrl: {
      label: 'App address',
      placeholder: 'https://app.example.com',
      help: "The app's address as your browser shows it. Revoke finds its better-auth API (usually at /api/auth); an API address works too.",
    },
    // better-auth has no page of its own for sessions; the app's home is where to look.
    manageUrl: (account) => `${account.origin}/`,
    can: { list: true, revokeOne: true, revokeOthers: true, revokeAll: true, localSignOut: true, sessionStart: true },
  },
  whoami,
  resolveInstance,
  listSessions,
  revoke,
};
