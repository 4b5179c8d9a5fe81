/**
 * A loopback GitLab, reproducing what Revoke's GitLab connector meets, as read in gitlabhq/gitlabhq
 * (files and commits in src/connectors/gitlab.ts):
 *
 *   GET  /users/sign_in                          the sign-in form (authenticity_token)
 *   POST /users/sign_in                          user[login], user[password]: a new Rails session
 *                                                (cookie `_gitlab_session` = its public id) and an
 *                                                ActiveSession kept under its private id "2::<sha256>"
 *   GET  /-/user_settings/active_sessions        ul.list-group of li.list-group-item (the
 *                                                _active_session partial); this browser's item says
 *                                                "This is your current session" and has no Revoke link
 *   DELETE /-/user_settings/active_sessions/:id  ActiveSession.destroy_session + forget_me!; 302 to
 *                                                the list, also for an id that is not there
 *   POST /users/sign_out                         Devise sign-out (sign_out_via :post); 302 sign-in
 *   GET  /api/v4/user                            the signed-in user (the session works for GET), or
 *                                                401 {"message":"401 Unauthorized"}
 *   GET  /-/manifest.json                        the PWA manifest (public)
 *
 * Refusals as GitLab's: authenticate_user! runs before protect_from_forgery (declared after it),
 * so signed out, pages and unsafe requests redirect to /users/sign_in; signed in, an unsafe request
 * without a valid authenticity token (or with a foreign Origin) raises InvalidAuthenticityToken:
 * 422 with public/422.html. A destroyed session's cookie is signed out.
 */
import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import type { CaseServer } from './case-server';
import { csrfMetaTags, escapeHtml, maskToken, railsRequest, readCookie, verifiedRequest } from './rails-kit';

export interface ActiveSession {
  userId: number;
  /** The cookie's value (Rack::Session::SessionId#public_id). */
  publicId: string;
  /** "2::" + SHA-256 of the public id: the id in revoke links. */
  privateId: string;
  ipAddress: string;
  browser: string;
  os: string;
  deviceType: string;
  createdAt: number;
  updatedAt: number;
}

interface RailsSession {
  csrf: Buffer;
  userId?: number;
}

export interface GitLabServer {
  origin: string;
  activeSessions: ActiveSession[];
  sessions: Map<string, RailsSession>;
  users: { id: number; username: string; name: string; password: string }[];
  refuseTokens: boolean;
  dropSessionList: boolean;
  /** How many times remember-me tokens were forgotten (every revoke does it). */
  forgetMeCount: number;
  signInElsewhere(username: string, userAgent: string, ip: string): ActiveSession;
  reset(): void;
  close(): Promise<void>;
}

const privateId = (publicId: string) => `2::${createHash('sha256').update(publicId).digest('hex')}`;

/** DeviceDetector's name, os_name and device_type, for the agents the cases use. */
function detect(ua: string): { browser: string; os: string; deviceType: string } {
  const browser = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Microsoft Edge' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Mobile Safari' : 'Unknown';
  const os = /iPhone|iPad/.test(ua) ? 'iOS' : /Android/.test(ua) ? 'Android' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'Mac' : /Linux/.test(ua) ? 'GNU/Linux' : 'Unknown';
  const deviceType = /iPhone|Android.*Mobile/.test(ua) ? 'smartphone' : /iPad/.test(ua) ? 'tablet' : 'desktop';
  return { browser, os, deviceType };
}

const short = (ms: number) => new Date(ms).toUTCString().slice(5, 22);

export async function startGitLab(opts: { host?: string } = {}): Promise<GitLabServer> {
  const host = opts.host ?? '127.0.0.1';
  const g: GitLabServer = {
    origin: '',
    activeSessions: [],
    sessions: new Map(),
    users: [
      { id: 1, username: 'alice', name: 'Alice Liddell', password: 'alice-password' },
      { id: 2, username: 'bob', name: 'Bob', password: 'bob-password' },
    ],
    refuseTokens: false,
    dropSessionList: false,
    forgetMeCount: 0,
    signInElsewhere(username, userAgent, ip) {
      const user = g.users.find((u) => u.username === username)!;
      const publicId = randomBytes(16).toString('hex');
      g.sessions.set(publicId, { csrf: randomBytes(32), userId: user.id });
      return record(user.id, publicId, userAgent, ip);
    },
    reset() {
      g.activeSessions.length = 0;
      g.sessions.clear();
      g.refuseTokens = false;
      g.dropSessionList = false;
      g.forgetMeCount = 0;
    },
    close: async () => undefined,
  };

  function record(userId: number, publicId: string, ua: string, ip: string): ActiveSession {
    const now = Date.now();
    const s: ActiveSession = { userId, publicId, privateId: privateId(publicId), ipAddress: ip, ...detect(ua), createdAt: now - 3_600_000, updatedAt: now - 60_000 * (g.activeSessions.length + 1) };
    g.activeSessions.push(s);
    return s;
  }

  function page(res: http.ServerResponse, status: number, title: string, session: RailsSession, body: string) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(
      `<!DOCTYPE html>\n<html class="gl-light" lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title} · GitLab</title>\n` +
        `<meta content="GitLab" property="og:site_name">\n<link rel="manifest" href="/-/manifest.json">\n${csrfMetaTags(session.csrf)}\n</head>\n` +
        `<body class="ui-neutral" data-page="user_settings:active_sessions:index">\n<main class="content" id="content-body">\n${body}\n</main>\n</body>\n</html>\n`,
    );
  }

  function item(s: ActiveSession, current: boolean): string {
    const activity = current ? '<div>This is your current session</div>' : `<div>Last accessed on ${short(s.updatedAt)}</div>`;
    const revoke = current
      ? ''
      : `<div class="gl-float-right"><a data-confirm="Are you sure? The device will be signed out of GitLab and all remember me tokens revoked." data-confirm-btn-variant="danger" class="gl-button btn btn-md btn-danger gl-ml-3" aria-label="Revoke" rel="nofollow" data-method="delete" href="/-/user_settings/active_sessions/${s.privateId}"><span class="gl-button-text">Revoke</span></a></div>`;
    const type = s.deviceType.replace(/\b\w/g, (c) => c.toUpperCase());
    return `<li class="list-group-item">\n<div class="float-left gl-mr-3" data-toggle="tooltip" title="${type}"><svg class="s16 gl-mt-2"></svg></div>\n` +
      `<div class="description float-left">\n<div><strong>${escapeHtml(s.ipAddress)}</strong></div>\n${activity}\n` +
      `<div><strong>${escapeHtml(s.browser)}</strong> on <strong>${escapeHtml(s.os)}</strong></div>\n<div><strong>Signed in</strong> on ${short(s.createdAt)}</div>\n</div>\n${revoke}\n</li>`;
  }

  const loopback = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', g.origin);
    const path = url.pathname;
    let sid = readCookie(req, '_gitlab_session');
    let session = sid ? g.sessions.get(sid) : undefined;
    if (!sid || !session) {
      sid = randomBytes(16).toString('hex');
      session = { csrf: randomBytes(32) };
      g.sessions.set(sid, session);
      res.appendHeader('set-cookie', `_gitlab_session=${sid}; path=/; HttpOnly; SameSite=Lax`);
    }
    const s = session;
    const publicId = sid;
    const redirect = (to: string) => res.writeHead(302, { location: new URL(to, g.origin).href }).end();
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const active = s.userId !== undefined ? g.activeSessions.find((a) => a.publicId === publicId) : undefined;
    if (!active) delete s.userId;
    const user = active ? g.users.find((u) => u.id === s.userId) : undefined;

    if (path === '/-/manifest.json') return json(200, { name: 'GitLab', short_name: 'GitLab', description: 'The complete DevOps platform.', start_url: '/', display: 'standalone' });
    if (path === '/api/v4/user') {
      if (!user) return json(401, { message: '401 Unauthorized' });
      return json(200, { id: user.id, username: user.username, name: user.name, state: 'active', web_url: `${g.origin}/${user.username}` });
    }

    const { method, form } = await railsRequest(req);
    const isSignIn = path === '/users/sign_in';
    // authenticate_user! first (the sign-in page skips it), then protect_from_forgery.
    if (!user && !isSignIn) return redirect('/users/sign_in');
    if (!verifiedRequest(req, method, form, s.csrf, g.origin) || (method !== 'GET' && g.refuseTokens)) {
      return res.writeHead(422, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><head><title>The change you requested was rejected (422)</title></head><body><h1>422</h1><h2>The change you requested was rejected.</h2></body></html>');
    }

    if (isSignIn && method === 'GET') {
      if (user) return redirect('/');
      return page(res, 200, 'Sign in', s, `<form class="gl-show-field-errors" id="new_user" action="/users/sign_in" method="post"><input type="hidden" name="authenticity_token" value="${maskToken(s.csrf)}"><input name="user[login]" id="user_login"><input type="password" name="user[password]" id="user_password"><button type="submit">Sign in</button></form>`);
    }
    if (isSignIn && method === 'POST') {
      const found = g.users.find((u) => u.username === form.get('user[login]') && u.password === form.get('user[password]'));
      if (!found) return page(res, 200, 'Sign in', s, '<div class="flash-alert">Invalid login or password.</div>');
      // Devise renews the session id on sign-in; ActiveSession.set stores it under its private id.
      g.sessions.delete(publicId);
      const fresh = randomBytes(16).toString('hex');
      g.sessions.set(fresh, { csrf: randomBytes(32), userId: found.id });
      record(found.id, fresh, req.headers['user-agent'] ?? '', String(req.headers['x-forwarded-for'] ?? '127.0.0.1'));
      res.setHeader('set-cookie', `_gitlab_session=${fresh}; path=/; HttpOnly; SameSite=Lax`);
      return redirect('/');
    }
    if (path === '/users/sign_out' && method === 'POST') {
      g.activeSessions = g.activeSessions.filter((a) => a !== active);
      g.sessions.delete(publicId);
      return redirect('/users/sign_in');
    }
    if (path === '/') return page(res, 200, 'Projects', s, '<div class="page-title">Projects</div>');
    if (path === '/-/user_settings/active_sessions' && method === 'GET') {
      const mine = g.activeSessions.filter((a) => a.userId === user!.id).sort((a, b) => b.updatedAt - a.updatedAt);
      const list = g.dropSessionList ? '' : `<div class="gl-card gl-border-0"><div class="gl-card-body gl-p-0"><ul class="list-group list-group-flush">\n${mine.map((a) => item(a, a === active)).join('\n')}\n</ul></div></div>`;
      return page(res, 200, 'Active Sessions', s, `<section class="settings-section"><h2>Active Sessions</h2><p>This is a list of devices that have logged into your account. Revoke any sessions that you do not recognize.</p>${list}</section>`);
    }
    const destroy = /^\/-\/user_settings\/active_sessions\/([^/]+)$/.exec(path);
    if (destroy && method === 'DELETE') {
      // ActiveSession.destroy_session accepts a private id (or, in older versions, a public one).
      const id = decodeURIComponent(destroy[1]!);
      g.activeSessions = g.activeSessions.filter((a) => !(a.userId === user!.id && (a.privateId === id || a.publicId === id)));
      g.forgetMeCount++;
      return redirect('/-/user_settings/active_sessions');
    }
    return res.writeHead(404, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><h1>404</h1><p>Page not found</p></body></html>');
  }, { host });
  g.origin = loopback.origin;
  g.close = loopback.close;
  return g;
}

// ---------------------------------------------------------------------------------------------
// As a case server: actions 'sign-in' {userAgent, ip} (this browser, through the sign-in form),
// 'sign-in-elsewhere' {userAgent, ip, user}, 'refuse-tokens', 'drop-session-list'. User alice.

export interface GitLabCaseServer extends CaseServer {
  native: GitLabServer;
}

export async function startGitLabCaseServer(opts: { host?: string } = {}): Promise<GitLabCaseServer> {
  const g = await startGitLab(opts);
  const str = (args: Record<string, unknown>, name: string, fallback: string) => (typeof args[name] === 'string' ? (args[name] as string) : fallback);
  return {
    native: g,
    origin: g.origin,
    instanceUrl: g.origin,
    async act(action, args, browser) {
      if (action === 'sign-in') {
        const headers = { 'user-agent': str(args, 'userAgent', 'node'), 'x-forwarded-for': str(args, 'ip', '127.0.0.1') };
        const form = await browser.fetch(`${g.origin}/users/sign_in`, { headers });
        const token = /name="authenticity_token" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
        const res = await browser.fetch(`${g.origin}/users/sign_in`, {
          method: 'POST', redirect: 'manual',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ authenticity_token: token, 'user[login]': 'alice', 'user[password]': 'alice-password' }).toString(),
        });
        if (res.status !== 302) throw new Error(`sign-in: HTTP ${res.status}`);
      } else if (action === 'sign-in-elsewhere') {
        g.signInElsewhere(str(args, 'user', 'alice'), str(args, 'userAgent', 'node'), str(args, 'ip', '192.0.2.1'));
      } else if (action === 'refuse-tokens') {
        g.refuseTokens = true;
      } else if (action === 'drop-session-list') {
        g.dropSessionList = true;
      } else {
        throw new Error(`server "gitlab" has no action "${action}"`);
      }
    },
    async liveSessions(browser) {
      // The connector's ids: private ids from the Revoke links; this browser's item has none.
      const mine = browser.jar.get(`${g.origin}/`, '_gitlab_session');
      const rows = g.activeSessions.filter((a) => a.userId === 1);
      const ids = rows.map((a) => (a.publicId === mine ? 'current' : a.privateId));
      return { ids, current: ids.includes('current') ? 'current' : null };
    },
    secrets: (browser) => [
      ...g.activeSessions.map((a) => a.publicId),
      ...[...g.sessions.keys()],
      ...[...g.sessions.values()].map((s) => s.csrf.toString('base64')),
      ...browser.jar.all().map((c) => c.value),
    ].filter((s) => s.length >= 16),
    async reset() {
      g.reset();
    },
    close: () => g.close(),
  };
}
