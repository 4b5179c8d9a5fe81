/**
 * A Nextcloud on loopback, as far as its "Devices & sessions" handshake goes, written from
 * nextcloud/server (files named in src/connectors/nextcloud.ts):
 *   GET    /index.php/login                      login form (guest page, a request token in <head>)
 *   POST   /index.php/login {user, password, requesttoken}
 *                                               signs in: a new session cookie (oc<instanceid>), a
 *                                               session token named after the User-Agent, 303 on
 *   GET    /index.php/settings/user/security     the security page: <head data-user data-requesttoken>,
 *                                               initial state `settings-app_tokens` (base64 JSON)
 *   DELETE /index.php/settings/personal/authtokens/{id}       [] or 404 []
 *   POST   /index.php/settings/personal/authtokens/wipe/{id}  recorded: Revoke must never call it
 *   GET    /csrftoken                            {token}
 *   GET    /status.php                           {installed, version, productname}
 * and its refusals: signed out is a 303 to /index.php/login (Accept: html) or 401 JSON; a session
 * cookie without nc_sameSiteCookielax is a 302 to the same address setting the same-site cookies
 * (SameSiteCookieMiddleware); a missing or wrong request token is 412 "CSRF check failed"; a token
 * id of someone else's is 404. A deleted session token signs its session out.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import { stringArg, unknownAction, type Browser, type CaseServer } from './case-server';

export interface NextcloudToken {
  id: number;
  uid: string;
  /** Sessions: the browser's User-Agent; app passwords: the name given. */
  name: string;
  /** 0 session, 1 app password (IToken::TEMPORARY_TOKEN, PERMANENT_TOKEN), 2 marked for wipe. */
  type: 0 | 1 | 2;
  /** Unix seconds. */
  lastActivity: number;
  scope: { filesystem: boolean };
}

interface PhpSession {
  uid?: string;
  tokenId?: number;
  /** The CSRF secret; pages carry it masked with a fresh one-time pad. */
  csrf: string;
}

export interface NextcloudServer {
  origin: string;
  /** The cookie name PHP's session uses: 'oc' + the instance id. */
  sessionCookie: string;
  tokens: Map<number, NextcloudToken>;
  sessions: Map<string, PhpSession>;
  users: Map<string, { password: string; displayName: string }>;
  /** Every wipe request received (none may come from Revoke). */
  wipeRequests: number[];
  /** Every request token a page or /csrftoken handed out. */
  issuedRequestTokens: string[];
  /** Test switches: refuse every request token (412); serve the security page without the list. */
  refuseRequestTokens: boolean;
  dropInitialState: boolean;
  /** A session token for `uid` on another device (no cookie here); its id. */
  signInElsewhere(uid: string, userAgent: string): number;
  addAppPassword(uid: string, name: string): number;
  reset(): void;
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cookies(req: http.IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** CsrfToken::getEncryptedValue: base64(value XOR pad) ':' base64(pad), fresh pad per page. */
function maskToken(secret: string): string {
  const value = Buffer.from(secret);
  const pad = randomBytes(value.length);
  const masked = Buffer.from(value.map((b, i) => b ^ pad[i]!));
  return `${masked.toString('base64')}:${pad.toString('base64')}`;
}

function unmaskToken(token: string): string | null {
  const [masked, pad] = token.split(':').map((p) => Buffer.from(p, 'base64'));
  if (!masked || !pad || masked.length !== pad.length || masked.length === 0) return null;
  return Buffer.from(masked.map((b, i) => b ^ pad[i]!)).toString();
}

async function readBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

export async function startNextcloud(opts: { host?: string; siteHost?: string } = {}): Promise<NextcloudServer> {
  const host = opts.host ?? '127.0.0.1';
  const siteHost = opts.siteHost ?? host;
  const instanceId = `oc${randomBytes(6).toString('hex')}`;
  let nextId = 1;
  const nc: NextcloudServer = {
    origin: '',
    sessionCookie: instanceId,
    tokens: new Map(),
    sessions: new Map(),
    users: new Map([['alice', { password: 'alice-password', displayName: 'Alice Liddell' }]]),
    wipeRequests: [],
    issuedRequestTokens: [],
    refuseRequestTokens: false,
    dropInitialState: false,
    signInElsewhere: (uid, userAgent) => addToken(uid, userAgent, 0),
    addAppPassword: (uid, name) => addToken(uid, name, 1),
    reset() {
      nc.tokens.clear();
      nc.sessions.clear();
      nc.wipeRequests.length = 0;
      nc.issuedRequestTokens.length = 0;
      nc.refuseRequestTokens = false;
      nc.dropInitialState = false;
    },
    close: async () => undefined,
  };

  function addToken(uid: string, name: string, type: 0 | 1): number {
    const id = nextId++;
    // PublicKeyTokenProvider::generateToken: names past 128 characters are cut to 120 and '…'.
    const cut = [...name].length > 128 ? `${[...name].slice(0, 120).join('')}…` : name;
    nc.tokens.set(id, { id, uid, name: cut, type, lastActivity: Math.floor(Date.now() / 1000) - 60 * id, scope: { filesystem: true } });
    return id;
  }

  const sameSiteCookies = [
    'nc_sameSiteCookielax=true; path=/; httponly; expires=Fri, 31-Dec-2100 23:59:59 GMT; SameSite=lax',
    'nc_sameSiteCookiestrict=true; path=/; httponly; expires=Fri, 31-Dec-2100 23:59:59 GMT; SameSite=strict',
  ];

  function newSession(res: http.ServerResponse): [string, PhpSession] {
    const id = randomBytes(16).toString('hex');
    const session: PhpSession = { csrf: randomBytes(24).toString('base64url') };
    nc.sessions.set(id, session);
    res.appendHeader('set-cookie', `${instanceId}=${id}; path=/; HttpOnly; SameSite=Lax`);
    return [id, session];
  }

  /** The logged-in user, after Session::validateSession: a session whose token was deleted is logged out. */
  function loggedIn(session: PhpSession | undefined): string | null {
    if (!session?.uid || session.tokenId === undefined) return null;
    if (!nc.tokens.has(session.tokenId)) {
      delete session.uid;
      delete session.tokenId;
      return null;
    }
    nc.tokens.get(session.tokenId)!.lastActivity = Math.floor(Date.now() / 1000);
    return session.uid;
  }

  function requestToken(session: PhpSession): string {
    const token = maskToken(session.csrf);
    nc.issuedRequestTokens.push(token);
    return token;
  }

  function passesCsrf(req: http.IncomingMessage, session: PhpSession, form?: URLSearchParams): boolean {
    if (nc.refuseRequestTokens) return false;
    const header = req.headers.requesttoken;
    const token = typeof header === 'string' ? header : form?.get('requesttoken');
    const value = token ? unmaskToken(token) : null;
    const expected = Buffer.from(session.csrf);
    return value !== null && Buffer.byteLength(value) === expected.length && timingSafeEqual(Buffer.from(value), expected);
  }

  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

  function page(res: http.ServerResponse, head: string, body: string) {
    res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(
      `<!DOCTYPE html>\n<html class="ng-csp" data-placeholder-focus="false" lang="en" data-locale="en" translate="no">\n\t<head ${head}>\n\t\t<meta charset="utf-8">\n\t\t<title>Security - Personal settings - Nextcloud</title>\n\t</head>\n\t<body id="body-user">\n${body}\n\t</body>\n</html>\n`,
    );
  }

  function securityPage(res: http.ServerResponse, uid: string, session: PhpSession) {
    const user = nc.users.get(uid)!;
    const states: [string, unknown][] = [
      ['core-config', { version: '28.0.4.1' }],
      ['settings-can_create_app_token', true],
    ];
    if (!nc.dropInitialState) {
      // Authtokens::getAppTokens: jsonSerialize() plus canDelete/canRename, `current` on this session's token only.
      const tokens = [...nc.tokens.values()].filter((t) => t.uid === uid).map((t) => {
        const data: Record<string, unknown> = { id: t.id, name: t.name, lastActivity: t.lastActivity, type: t.type, scope: t.scope, canDelete: true, canRename: t.type !== 0 };
        if (t.id === session.tokenId) Object.assign(data, { canDelete: false, canRename: false, current: true });
        return data;
      });
      states.push(['settings-app_tokens', tokens]);
    }
    const inputs = states
      .map(([key, value]) => `\t\t<input type="hidden" id="initial-state-${key}" value="${Buffer.from(JSON.stringify(value)).toString('base64')}">`)
      .join('\n');
    page(
      res,
      `data-user="${escapeHtml(uid)}" data-user-displayname="${escapeHtml(user.displayName)}" data-requesttoken="${requestToken(session)}"`,
      `${inputs}\n\t\t<main id="content" class="app-settings"><div id="security-authtokens"></div></main>`,
    );
  }

  const loopback = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', nc.origin);
    const jar = cookies(req);
    let sessionId = jar.get(instanceId);
    let session = sessionId ? nc.sessions.get(sessionId) : undefined;
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path === '/status.php') return json(res, 200, { installed: true, maintenance: false, needsDbUpgrade: false, version: '28.0.4.1', versionstring: '28.0.4', edition: '', productname: 'Nextcloud', extendedSupport: false });

    // SameSiteCookieMiddleware: index.php routes with a session cookie need the lax cookie.
    const hasLoginCookie = sessionId !== undefined || jar.has('nc_token');
    if (path.startsWith('/index.php/') && hasLoginCookie && jar.get('nc_sameSiteCookielax') !== 'true') {
      for (const c of sameSiteCookies) res.appendHeader('set-cookie', c);
      return res.writeHead(302, { location: url.pathname + url.search }).end();
    }
    if (!session) [sessionId, session] = newSession(res);
    for (const c of sameSiteCookies) res.appendHeader('set-cookie', c);
    const uid = loggedIn(session);
    const wantsHtml = (req.headers.accept ?? '').toLowerCase().includes('html');
    const notLoggedIn = () =>
      wantsHtml
        ? res.writeHead(303, { location: `/index.php/login?redirect_url=${encodeURIComponent(encodeURIComponent(path))}` }).end()
        : json(res, 401, { message: 'Current user is not logged in' });

    if (path === '/csrftoken' && method === 'GET') {
      if (hasLoginCookie && (jar.get('nc_sameSiteCookiestrict') !== 'true' || jar.get('nc_sameSiteCookielax') !== 'true')) return json(res, 403, []);
      return json(res, 200, { token: requestToken(session) });
    }
    if (path === '/index.php/login' && method === 'GET') {
      if (uid) return res.writeHead(303, { location: '/index.php/apps/dashboard/' }).end();
      const token = requestToken(session);
      return page(res, `data-requesttoken="${token}"`, `<form method="post" name="login"><input name="user" aria-label="Account name"><input type="password" name="password" aria-label="Password"><input type="hidden" name="requesttoken" value="${token}"><button type="submit">Log in</button></form>`);
    }
    if (path === '/index.php/login' && method === 'POST') {
      const form = await readBody(req);
      if (!passesCsrf(req, session, form)) return json(res, 412, { message: 'CSRF check failed' });
      const user = nc.users.get(form.get('user') ?? '');
      if (!user || user.password !== form.get('password')) return res.writeHead(303, { location: '/index.php/login?direct=1&user=' }).end();
      // A fresh session id on login, with a token named after the browser's User-Agent.
      nc.sessions.delete(sessionId!);
      res.setHeader('set-cookie', []);
      for (const c of sameSiteCookies) res.appendHeader('set-cookie', c);
      const [, fresh] = newSession(res);
      fresh.uid = form.get('user')!;
      fresh.tokenId = addToken(fresh.uid, req.headers['user-agent'] ?? '', 0);
      return res.writeHead(303, { location: '/index.php/apps/dashboard/' }).end();
    }
    if (path === '/index.php/settings/user/security' && method === 'GET') {
      if (!uid) return notLoggedIn();
      return securityPage(res, uid, session);
    }
    const destroy = /^\/index\.php\/settings\/personal\/authtokens\/(\d+)$/.exec(path);
    if (destroy && method === 'DELETE') {
      if (!uid) return notLoggedIn();
      if (!passesCsrf(req, session)) return json(res, 412, { message: 'CSRF check failed' });
      const token = nc.tokens.get(Number(destroy[1]));
      if (!token || token.uid !== uid) return json(res, 404, []);
      nc.tokens.delete(token.id);
      return json(res, 200, []);
    }
    const wipe = /^\/index\.php\/settings\/personal\/authtokens\/wipe\/(\d+)$/.exec(path);
    if (wipe && method === 'POST') {
      nc.wipeRequests.push(Number(wipe[1]));
      // @PasswordConfirmationRequired: refused without a recent password confirmation.
      return json(res, 403, { message: 'Password confirmation is required' });
    }
    if (path === '/index.php/apps/dashboard/') {
      if (!uid) return notLoggedIn();
      return page(res, `data-user="${escapeHtml(uid)}" data-requesttoken="${requestToken(session)}"`, '<main id="content">Dashboard</main>');
    }
    return json(res, 404, { message: 'Page not found' });
  }, { host, siteHost });
  nc.origin = loopback.origin;
  nc.close = loopback.close;
  return nc;
}

// nextcloud: actions 'sign-in' {userAgent} (this browser, through the login form), 'sign-in-elsewhere'
// {userAgent}, 'add-app-password' {name}, 'refuse-request-tokens', 'drop-initial-state'. User alice.

export interface NextcloudCaseServer extends CaseServer {
  native: NextcloudServer;
}

export async function startNextcloudCaseServer(native?: NextcloudServer): Promise<NextcloudCaseServer> {
  native ??= await startNextcloud();
  const nc = native;
  const sessionOf = (browser: Browser) => {
    const id = browser.jar.get(`${nc.origin}/`, nc.sessionCookie);
    return id === undefined ? undefined : nc.sessions.get(id);
  };
  return {
    native: nc,
    origin: nc.origin,
    instanceUrl: nc.origin,
    async act(action, args, browser) {
      if (action === 'sign-in') {
        const userAgent = stringArg(args, 'userAgent', 'node');
        const form = await browser.fetch(`${nc.origin}/index.php/login`, { headers: { 'user-agent': userAgent } });
        const requesttoken = /data-requesttoken="([^"]+)"/.exec(await form.text())?.[1] ?? '';
        const res = await browser.fetch(`${nc.origin}/index.php/login`, {
          method: 'POST', redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
          body: new URLSearchParams({ user: 'alice', password: 'alice-password', requesttoken }).toString(),
        });
        if (res.status !== 303 || !sessionOf(browser)?.uid) throw new Error(`sign-in: HTTP ${res.status}`);
      } else if (action === 'sign-in-elsewhere') {
        nc.signInElsewhere('alice', stringArg(args, 'userAgent'));
      } else if (action === 'add-app-password') {
        nc.addAppPassword('alice', stringArg(args, 'name'));
      } else if (action === 'refuse-request-tokens') {
        nc.refuseRequestTokens = true;
      } else if (action === 'drop-initial-state') {
        nc.dropInitialState = true;
      } else {
        unknownAction('nextcloud', action);
      }
    },
    async liveSessions(browser) {
      // Remote wipe erases a device: nothing Revoke does may ever ask for it.
      if (nc.wipeRequests.length > 0) throw new Error(`remote wipe requested for ${nc.wipeRequests.join(', ')}`);
      const ids = [...nc.tokens.values()].map((t) => String(t.id));
      const current = sessionOf(browser)?.tokenId;
      return { ids, current: current !== undefined && nc.tokens.has(current) ? String(current) : null };
    },
    secrets: (browser) => [...nc.issuedRequestTokens, ...[...nc.sessions.values()].map((s) => s.csrf), ...browser.jar.all().map((c) => c.value)].filter((s) => s.length >= 16),
    async reset() {
      nc.reset();
    },
    close: () => nc.close(),
  };
}
