/**
 * Nextcloud (any instance), read from nextcloud/server as the code index stores it (each file at its
 * own commit, Nextcloud 25-28 era: AuthSettingsController a96a2ec, Authtokens 592f2ec, Request
 * 0005a24, layout.user.php fc1bfee, SameSiteCookieMiddleware 592f2ec, SecurityMiddleware aba5397):
 * apps/settings/lib/Controller/AuthSettingsController.php, apps/settings/lib/Settings/Personal/
 * Security/Authtokens.php, lib/private/Authentication/Token/PublicKeyToken.php (jsonSerialize),
 * lib/private/AppFramework/Middleware/Security/{SecurityMiddleware,SameSiteCookieMiddleware}.php,
 * .../Exceptions/CrossSiteRequestForgeryException.php, lib/private/AppFramework/Http/Request.php
 * (passesCSRFCheck, passesStrictCookieCheck), core/Controller/CSRFTokenController.php,
 * core/templates/layout.user.php.
 *
 * - There is no JSON list: GET /index.php/settings/user/security carries the tokens as the initial
 *   state `settings-app_tokens`, base64 JSON in <input type="hidden" id="initial-state-settings-
 *   app_tokens">: [{id, name, lastActivity (Unix s), type (0 browser session, 1 app password, 2
 *   marked for wipe), scope, canDelete, canRename, current (this session's token only)}]. A session's
 *   name is the User-Agent it signed in with. <head data-user data-requesttoken> on the same page
 *   gives who is signed in and the CSRF token.
 * - Signed out: the page answers with a 303 to /index.php/login (Accept: html), else 401.
 * - DELETE /index.php/settings/personal/authtokens/{id} with the `requesttoken` header -> [] (200);
 *   404 for an id that is not the user's; 412 "CSRF check failed" without a valid token; 400 when
 *   the session itself was opened with an app password. It accepts the current token too (only the
 *   web page hides that button): deleting it signs this browser out.
 * - Remote wipe (POST .../authtokens/wipe/{id}) erases a device's data: Revoke never calls it.
 * - Recognising an instance in a tab: its user and guest layouts (layout.user.php fc1bfee,
 *   layout.guest.php 80f5bc6) open with `<html class="ng-csp" ...><head ... data-requesttoken>`;
 *   ownCloud's look alike, so GET {webroot}/status.php confirms: Nextcloud's answer (the Status
 *   schema of its OpenAPI spec, and occ status) has `installed` and an `extendedSupport` boolean,
 *   which ownCloud's lacks. `productname` follows the theming and says nothing.
 */
import { excerpt } from './context';
import { connectorError, instanceBase, isRecord } from './common';
import { parseUserAgent } from './user-agent';
import { type ConnectorError, type PlainListConnector, type ConnectorContext, detector, type RevokeTarget, type Session, type WhoAmI } from './types';
import { say } from '../i18n/t';

const SECURITY_PAGE = '/index.php/settings/user/security';
const TOKEN_PATH = '/index.php/settings/personal/authtokens/';

const base = instanceBase;

function host(ctx: ConnectorContext): string {
  return new URL(ctx.account.origin).host;
}

function pageChanged(ctx: ConnectorContext, detail: string): ConnectorError {
  return connectorError('page-changed', { key: 'connErr_ncChanged', subs: [host(ctx)] }, detail);
}

// ---------------------------------------------------------------------------------------------
// The security page

interface Token {
  id: number;
  name: string;
  lastActivity: number;
  type: number;
  filesystem: boolean;
  current: boolean;
}

interface SecurityPage {
  user: string;
  displayName: string;
  requestToken: string;
  /** Null when the page has no token list (a changed page, or a theme that drops it). */
  tokens: Token[] | null;
}

function readTokens(ctx: ConnectorContext, base64: string): Token[] {
  let data: unknown;
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    data = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw pageChanged(ctx, 'initial state app_tokens is not base64 JSON');
  }
  if (!Array.isArray(data)) throw pageChanged(ctx, 'initial state app_tokens is not a list');
  return data.map((t, i): Token => {
    const where = `app_tokens[${i}]`;
    if (!isRecord(t) || !Number.isInteger(t.id) || typeof t.name !== 'string' || typeof t.lastActivity !== 'number' || !Number.isInteger(t.type)) {
      throw pageChanged(ctx, `${where} lacks id, name, lastActivity or type`);
    }
    return {
      id: t.id as number,
      name: t.name,
      lastActivity: t.lastActivity,
      type: t.type as number,
      filesystem: !(isRecord(t.scope) && t.scope.filesystem === false),
      current: t.current === true,
    };
  });
}

async function readPage(ctx: ConnectorContext): Promise<SecurityPage | null> {
  const res = await ctx.fetch(`${base(ctx.account)}${SECURITY_PAGE}`, { headers: { accept: 'text/html' } });
  const landed = new URL(res.url).pathname;
  if (res.status === 401 || (res.redirected && /\/login$/.test(landed))) return null;
  if (res.status === 404) throw connectorError('page-changed', { key: 'connErr_ncNoPage', subs: [host(ctx), base(ctx.account)] }, 'HTTP 404');
  if (res.status >= 500) throw connectorError('server', { key: 'connErr_server', subs: [host(ctx), String(res.status)] }, `HTTP ${res.status}`);
  if (res.status !== 200) throw pageChanged(ctx, `HTTP ${res.status}`);
  const found = await ctx.selectHtml(await res.text(), {
    user: 'head@data-user',
    displayName: 'head@data-user-displayname',
    requestToken: 'head@data-requesttoken',
    tokens: 'input#initial-state-settings-app_tokens@value',
  });
  const user = found.user[0];
  const requestToken = found.requestToken[0];
  if (!user || !requestToken) throw pageChanged(ctx, `${res.redirected ? `redirected to ${landed}; ` : ''}no signed-in user or request token in <head>`);
  const tokens = found.tokens[0];
  return { user, displayName: found.displayName[0] ?? '', requestToken, tokens: tokens === undefined ? null : readTokens(ctx, tokens) };
}

async function signedInPage(ctx: ConnectorContext): Promise<SecurityPage & { tokens: Token[] }> {
  const page = await readPage(ctx);
  if (!page) throw connectorError('signed-out', { key: 'connErr_signedOutAt', subs: ['Nextcloud', host(ctx)] });
  if (!page.tokens) throw pageChanged(ctx, 'no initial state app_tokens (the list of devices and sessions)');
  return page as SecurityPage & { tokens: Token[] };
}

// ---------------------------------------------------------------------------------------------
// Operations

async function whoami(ctx: ConnectorContext): Promise<WhoAmI | null> {
  const page = await readPage(ctx);
  if (!page) return null;
  const account = page.displayName && page.displayName !== page.user ? `${page.displayName} (${page.user})` : page.user;
  const current = page.tokens?.find((t) => t.current);
  return current ? { account, sessionId: String(current.id) } : { account };
}

function toSession(t: Token): Session {
  const session: Session = { id: String(t.id), current: t.current, lastActiveAt: t.lastActivity * 1000, extra: {} };
  if (t.type === 0) {
    Object.assign(session, parseUserAgent(t.name));
    if (t.name) session.extra[say({ key: 'extra_userAgent' })] = t.name;
  } else {
    session.device = t.type === 1 ? 'App password' : 'App password marked for remote wipe';
    session.extra.Name = t.name;
    if (!t.filesystem) session.extra[say({ key: 'extra_fileAccess' })] = say({ key: 'extra_no' });
  }
  return session;
}

async function listSessions(ctx: ConnectorContext): Promise<Session[]> {
  return (await signedInPage(ctx)).tokens.map(toSession);
}

async function deleteToken(ctx: ConnectorContext, requestToken: string, id: number): Promise<void> {
  const res = await ctx.fetch(`${base(ctx.account)}${TOKEN_PATH}${id}`, {
    method: 'DELETE',
    headers: { requesttoken: requestToken, accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' },
    redirect: 'manual',
  });
  const s = res.status;
  const detail = `HTTP ${s || 'redirect'}`;
  if (s === 200 || s === 404) return; // 404: already gone, which is what was asked; the engine checks
  if (s === 412) throw connectorError('forbidden', { key: 'connErr_ncCsrf', subs: [host(ctx)] }, detail);
  if (s === 401) throw connectorError('signed-out', { key: 'connErr_signedOutAt', subs: ['Nextcloud', host(ctx)] }, detail);
  if (s === 400) throw connectorError('forbidden', { key: 'connErr_ncAppPassword', subs: [host(ctx)] }, detail);
  if (s === 0 || (s >= 300 && s < 400)) throw connectorError('forbidden', { key: 'connErr_ncRedirect', subs: [host(ctx)] }, detail);
  if (s >= 500) throw connectorError('server', { key: 'connErr_ncServerEnding', subs: [host(ctx), String(s)] }, detail);
  throw connectorError('server', { key: 'connErr_ncNotEnded', subs: [host(ctx), String(s)] }, `${detail}: ${excerpt(await res.text().catch(() => ''))}`);
}

async function revoke(ctx: ConnectorContext, target: RevokeTarget): Promise<void> {
  if (target === 'others') throw connectorError('unsupported', { key: 'connErr_ncOneAtATime' });
  const page = await signedInPage(ctx);
  if (target !== 'all') {
    const token = page.tokens.find((t) => String(t.id) === target.id);
    if (token) await deleteToken(ctx, page.requestToken, token.id);
    return;
  }
  // Everything, this browser last: once its own token is gone the request token dies with it.
  const current = page.tokens.find((t) => t.current);
  if (!current) throw connectorError('unsupported', { key: 'connErr_ncNoCurrent', subs: [host(ctx)] });
  for (const t of page.tokens) if (!t.current) await deleteToken(ctx, page.requestToken, t.id);
  const left = (await signedInPage(ctx)).tokens.filter((t) => !t.current);
  if (left.length > 0) {
    throw connectorError('server', { plural: 'connErr_ncLeft', count: left.length, subs: [host(ctx)] }, `ids ${left.map((t) => t.id).join(', ')}`);
  }
  await deleteToken(ctx, page.requestToken, current.id);
}

/** Where Nextcloud's own routes begin in a path: what comes before is the webroot ("/nextcloud"). */
const ROUTES = /^(.*?)\/(?:index\.php|apps|settings|login|core)(?:\/|$)/;

const detect = detector(
  // The request token is a CSRF secret: only that the head carries one is read, through its charset.
  { layout: 'html.ng-csp > head[data-requesttoken] > meta[charset]@charset' },
  async ({ url, values }, probe) => {
    if (values.layout.length === 0) return null;
    const webroot = ROUTES.exec(url.pathname)?.[1] ?? '';
    const status = await probe(`${webroot}/status.php`);
    if (!status || status.status !== 200) return null;
    let body: unknown;
    try {
      body = JSON.parse(status.body);
    } catch {
      return null;
    }
    const s = body as Record<string, unknown> | null;
    if (typeof s !== 'object' || s === null || s.installed !== true || typeof s.extendedSupport !== 'boolean') return null;
    return url.origin + webroot;
  },
);

export const nextcloudConnector: PlainListConnector = {
  meta: {
    id: 'nextcloud',
    name: 'Nextcloud',
    origins: [],
    instanceUrl: {
      label: 'Nextcloud address',
      placeholder: 'https://cloud.example.com',
      help: 'The address of your Nextcloud, with its folder if it has one (https://example.com/nextcloud). Revoke lists its devices and sessions and ends them; it never wipes a device.',
    },
    manageUrl: (account) => `${base(account)}${SECURITY_PAGE}`,
    // "Other sessions" is done one by one by the engine: the list marks this browser's.
    can: { list: true, revokeOne: true, revokeOthers: false, revokeAll: true, localSignOut: true },
  },
  whoami,
  listSessions,
  revoke,
  detect,
};
