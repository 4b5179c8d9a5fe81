/**
 * A loopback Mastodon instance, reproducing what Revoke's Mastodon connector meets, as read in
 * mastodon/mastodon (files and commits in src/connectors/mastodon.ts):
 *
 *   GET  /auth/sign_in                       the sign-in form (authenticity_token)
 *   POST /auth/sign_in                       user[email], user[password]: a SessionActivation (id,
 *                                            secret session_id, user agent, ip), the Rails session
 *                                            cookie `_mastodon_session` and `_session_id`; 302 to /
 *   GET  /auth/edit                          account settings: the email field, the sessions table
 *                                            (_sessions/_session partials): this browser's row says
 *                                            "Current session" and has no revoke link
 *   DELETE /settings/sessions/:id            destroys one of the user's activations; 302 /auth/edit;
 *                                            404 for an id that is not the user's
 *   GET  /oauth/authorized_applications      the applications list (4.3+ markup); the web app
 *                                            (superapp) has no revoke link
 *   DELETE /oauth/authorized_applications/:id  revokes the app's tokens; 302 back to the list
 *   DELETE /auth/sign_out                    Devise sign-out: deactivates this activation; 302 /
 *   GET  /api/v1/instance, /.well-known/nodeinfo, /nodeinfo/2.0   public instance metadata
 *
 * Refusals as Mastodon's: unsafe requests without a valid authenticity token (form field or
 * X-CSRF-Token) or with a foreign Origin are 422 (ApplicationController rescues
 * InvalidAuthenticityToken with unprocessable_entity), checked before sign-in; signed-out pages
 * redirect to /auth/sign_in (authenticate_user!, Doorkeeper's resource_owner_authenticator); a
 * request whose `_session_id` activation is gone is signed out (Warden after_fetch). Cookies never
 * authorise /api/v1 (not reproduced beyond the public endpoints).
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import type { CaseServer } from './case-server';
import { csrfMetaTags, escapeHtml, maskToken, railsRequest, readCookie, verifiedRequest } from './rails-kit';

export interface SessionActivation {
  id: number;
  userId: number;
  /** The secret kept in the browser's `_session_id` cookie. */
  sessionId: string;
  userAgent: string;
  ip: string;
  createdAt: number;
  updatedAt: number;
}

export interface AuthorizedApp {
  id: number;
  userId: number;
  name: string;
  website?: string;
  superapp: boolean;
  createdAt: number;
  lastUsedAt?: number;
}

interface RailsSession {
  csrf: Buffer;
  userId?: number;
}

export interface MastodonServer {
  origin: string;
  activations: SessionActivation[];
  apps: AuthorizedApp[];
  sessions: Map<string, RailsSession>;
  users: { id: number; email: string; password: string; username: string }[];
  /** Test switches: every authenticity token fails; the settings page renders without the sessions table. */
  refuseTokens: boolean;
  dropSessionsTable: boolean;
  signInElsewhere(email: string, userAgent: string, ip: string): SessionActivation;
  authorizeApp(email: string, name: string, website?: string): AuthorizedApp;
  reset(): void;
  close(): Promise<void>;
}

const BROWSERS: [RegExp, string, string][] = [
  [/Firefox\//, 'firefox', 'Firefox'],
  [/Edg\//, 'edge', 'Microsoft Edge'],
  [/Chrome\//, 'chrome', 'Chrome'],
  [/Safari\//, 'safari', 'Safari'],
];
const PLATFORMS: [RegExp, string, string][] = [
  [/iPhone|iPad/, 'ios', 'iOS'],
  [/Android/, 'android', 'Android'],
  [/Windows/, 'windows', 'Windows'],
  [/Mac OS X/, 'mac', 'macOS'],
  [/Linux/, 'linux', 'Linux'],
];

/** SessionActivation#browser/#platform (the browser gem) and the en.yml names they are shown by. */
function describe(ua: string): { browser: string; platform: string; icon: string } {
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[2] ?? 'Unknown browser';
  const platform = PLATFORMS.find(([re]) => re.test(ua))?.[2] ?? 'Unknown platform';
  const icon = /iPhone|Android.*Mobile/.test(ua) ? 'smartphone' : /iPad|Android/.test(ua) ? 'tablet' : 'desktop_mac';
  return { browser, platform, icon };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const long = (ms: number) => new Date(ms).toUTCString();

/** `siteHost`: the host name in its origin when it differs from the listening address (*.localhost in Chromium). */
export async function startMastodon(opts: { host?: string; siteHost?: string } = {}): Promise<MastodonServer> {
  const host = opts.host ?? '127.0.0.1';
  let nextId = 100;
  const m: MastodonServer = {
    origin: '',
    activations: [],
    apps: [],
    sessions: new Map(),
    users: [
      { id: 1, email: 'alice@example.social', password: 'alice-password', username: 'alice' },
      { id: 2, email: 'bob@example.social', password: 'bob-password', username: 'bob' },
    ],
    refuseTokens: false,
    dropSessionsTable: false,
    signInElsewhere: (email, userAgent, ip) => activate(userByEmail(email).id, userAgent, ip),
    authorizeApp(email, name, website) {
      const app: AuthorizedApp = { id: nextId++, userId: userByEmail(email).id, name, superapp: false, createdAt: Date.now() - 86_400_000, lastUsedAt: Date.now() - 3_600_000, ...(website ? { website } : {}) };
      m.apps.push(app);
      return app;
    },
    reset() {
      m.activations.length = 0;
      m.apps.length = 0;
      m.sessions.clear();
      m.refuseTokens = false;
      m.dropSessionsTable = false;
    },
    close: async () => undefined,
  };

  function userByEmail(email: string) {
    const user = m.users.find((u) => u.email === email);
    if (!user) throw new Error(`no user ${email}`);
    return user;
  }

  function activate(userId: number, userAgent: string, ip: string): SessionActivation {
    const now = Date.now();
    const a: SessionActivation = { id: nextId++, userId, sessionId: randomBytes(16).toString('hex'), userAgent, ip, createdAt: now, updatedAt: now - 60_000 * nextId };
    m.activations.push(a);
    // The web app's token for this session (Doorkeeper's superapp), listed among the apps.
    if (!m.apps.some((app) => app.superapp && app.userId === userId)) m.apps.push({ id: 1, userId, name: 'Web', superapp: true, createdAt: now });
    return a;
  }

  function layout(res: http.ServerResponse, status: number, title: string, session: RailsSession, body: string) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store' }).end(
      `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title} - Mastodon</title>\n` +
        `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
        `<link rel="mask-icon" href="/packs/media/images/logo-symbol-icon-2f6a4b1c.svg" color="#6364FF">\n<link rel="manifest" href="/manifest">\n${csrfMetaTags(session.csrf)}\n</head>\n` +
        `<body class="admin theme-default">\n<div class="admin-wrapper"><div class="content-wrapper"><div class="content">\n<h2>${title}</h2>\n${body}\n</div></div></div>\n</body>\n</html>\n`,
    );
  }

  function sessionRow(a: SessionActivation, current: boolean): string {
    const { browser, platform, icon } = describe(a.userAgent);
    const activity = current
      ? 'Current session'
      : `<time class="time-ago" datetime="${iso(a.updatedAt)}" title="${long(a.updatedAt)}">${long(a.updatedAt)}</time>`;
    const revoke = current
      ? ''
      : `<a class="table-action-link" data-method="delete" href="/settings/sessions/${a.id}" rel="nofollow"><svg class="icon material-close"></svg> Revoke</a>`;
    return `<tr>\n<td>\n<span title="${escapeHtml(a.userAgent)}"><svg class="icon material-${icon}" aria-label="${icon}"></svg>&nbsp;${browser} on ${platform}</span>\n</td>\n` +
      `<td>\n<samp>${escapeHtml(a.ip)}</samp>\n</td>\n<td>\n${activity}\n</td>\n<td>\n${revoke}\n</td>\n</tr>`;
  }

  function editPage(res: http.ServerResponse, session: RailsSession, userId: number, current: SessionActivation) {
    const user = m.users.find((u) => u.id === userId)!;
    const rows = m.activations.filter((a) => a.userId === userId).sort((a, b) => b.updatedAt - a.updatedAt).map((a) => sessionRow(a, a.id === current.id));
    const table = m.dropSessionsTable
      ? ''
      : `<h3>Sessions</h3>\n<p class="muted-hint">These are the sessions currently logged into your account.</p>\n<hr class="spacer">\n` +
        `<div class="table-wrapper">\n<table class="table inline-table">\n<thead>\n<tr>\n<th>Browser</th>\n<th>IP</th>\n<th>Last activity</th>\n<th></th>\n</tr>\n</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>\n</div>`;
    layout(res, 200, 'Account settings', session,
      `<h3>Security</h3>\n<form class="simple_form auth_edit" novalidate="novalidate" action="/auth" accept-charset="UTF-8" method="post">` +
        `<input type="hidden" name="_method" value="put" autocomplete="off"><input type="hidden" name="authenticity_token" value="${maskToken(session.csrf)}" autocomplete="off">` +
        `<div class="fields-row"><div class="input with_label email required user_email"><input class="string email required" required="required" aria-label="E-mail address" type="email" value="${escapeHtml(user.email)}" name="user[email]" id="user_email"></div></div></form>\n<hr class="spacer">\n${table}`);
  }

  function appsPage(res: http.ServerResponse, session: RailsSession, userId: number) {
    const items = m.apps.filter((a) => a.userId === userId).map((a) => {
      const title = a.website
        ? `<a class="announcements-list__item__title" href="${escapeHtml(a.website)}" rel="noopener noreferrer" target="_blank">${escapeHtml(a.name)}</a>`
        : `<strong class="announcements-list__item__title">${escapeHtml(a.name)}${a.superapp ? '<span class="information-badge superapp">Superapp</span>' : ''}</strong>`;
      const used = a.lastUsedAt ? `Last used on ${new Date(a.lastUsedAt).toDateString()}` : 'Never used';
      const revoke = a.superapp
        ? ''
        : `<div><a data-confirm="Are you sure?" class="table-action-link" rel="nofollow" data-method="delete" href="/oauth/authorized_applications/${a.id}"><svg class="icon material-close"></svg> Revoke</a></div>`;
      return `<div class="applications-list__item" id="doorkeeper_application_${a.id}">\n${title}\n<div class="announcements-list__item__action-bar">\n` +
        `<div class="announcements-list__item__meta">${used} · Authorized on ${new Date(a.createdAt).toDateString()}</div>\n${revoke}\n</div>\n` +
        `<div class="announcements-list__item__permissions"><ul class="permissions-list"><li class="permissions-list__item"><div class="permissions-list__item__text"><div class="permissions-list__item__text__title">Everything</div><div class="permissions-list__item__text__type">Read and write access</div></div></li></ul></div>\n</div>`;
    });
    layout(res, 200, 'Authorized apps', session,
      `<p>These are applications that can access your account using the API.</p>\n<hr class="spacer">\n<div class="applications-list">\n${items.join('\n')}\n</div>`);
  }

  const loopback = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', m.origin);
    const path = url.pathname;
    const cookies: string[] = [];
    let sid = readCookie(req, '_mastodon_session');
    let session = sid ? m.sessions.get(sid) : undefined;
    if (!sid || !session) {
      sid = randomBytes(16).toString('hex');
      session = { csrf: randomBytes(32) };
      m.sessions.set(sid, session);
      cookies.push(`_mastodon_session=${sid}; path=/; HttpOnly; SameSite=Lax`);
    }
    const s = session;
    const redirect = (to: string, status = 302) => {
      for (const c of cookies) res.appendHeader('set-cookie', c);
      res.writeHead(status, { location: new URL(to, m.origin).href }).end();
    };
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    for (const c of cookies) res.appendHeader('set-cookie', c);
    cookies.length = 0;

    // Public metadata (no session involved).
    if (path === '/api/v1/instance') return json(200, { uri: url.host, title: 'Loopback Mastodon', version: '4.3.2', urls: {} });
    if (path === '/.well-known/nodeinfo') return json(200, { links: [{ rel: 'http://nodeinfo.diaspora.software/ns/schema/2.0', href: `${m.origin}/nodeinfo/2.0` }] });
    if (path === '/nodeinfo/2.0') return json(200, { version: '2.0', software: { name: 'mastodon', version: '4.3.2' }, protocols: ['activitypub'], openRegistrations: false, usage: { users: {} }, metadata: {} });

    const { method, form } = await railsRequest(req);
    if (!verifiedRequest(req, method, form, s.csrf, m.origin) || (method !== 'GET' && m.refuseTokens)) {
      // InvalidAuthenticityToken -> unprocessable_entity: the errors/422 page.
      return layout(res, 422, 'The change you wanted was rejected', s, '<div class="error-page">The change you wanted was rejected.</div>');
    }

    // Warden: the user in the session, and (after_fetch) a live activation for `_session_id`.
    let activation: SessionActivation | undefined;
    if (s.userId !== undefined) {
      const key = readCookie(req, '_session_id');
      activation = m.activations.find((a) => a.userId === s.userId && a.sessionId === key);
      if (!activation) delete s.userId;
    }
    const userId = activation ? s.userId : undefined;
    const requireUser = () => redirect('/auth/sign_in');

    if (path === '/auth/sign_in' && method === 'GET') {
      if (userId) return redirect('/');
      return layout(res, 200, 'Log in', s, `<form class="simple_form new_user" action="/auth/sign_in" method="post"><input type="hidden" name="authenticity_token" value="${maskToken(s.csrf)}"><input type="email" name="user[email]" id="user_email"><input type="password" name="user[password]" id="user_password"><button type="submit">Log in</button></form>`);
    }
    if (path === '/auth/sign_in' && method === 'POST') {
      const user = m.users.find((u) => u.email === form.get('user[email]') && u.password === form.get('user[password]'));
      if (!user) return layout(res, 200, 'Log in', s, '<div class="flash-message alert">Invalid E-mail address or password.</div>');
      // A new Rails session on sign-in, and the activation's secret in `_session_id`.
      m.sessions.delete(sid);
      const fresh = randomBytes(16).toString('hex');
      m.sessions.set(fresh, { csrf: randomBytes(32), userId: user.id });
      const a = activate(user.id, req.headers['user-agent'] ?? '', String(req.headers['x-forwarded-for'] ?? '127.0.0.1'));
      res.setHeader('set-cookie', [
        `_mastodon_session=${fresh}; path=/; HttpOnly; SameSite=Lax`,
        `_session_id=${a.sessionId}; path=/; expires=${new Date(Date.now() + 365 * 86_400_000).toUTCString()}; HttpOnly; SameSite=Lax`,
      ]);
      return redirect('/');
    }
    if (path === '/auth/sign_out' && method === 'DELETE') {
      // Warden before_logout: the activation goes, the cookie with it; Devise resets the session.
      if (activation) m.activations = m.activations.filter((a) => a !== activation);
      m.sessions.delete(sid);
      res.appendHeader('set-cookie', '_session_id=; path=/; max-age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT');
      return redirect('/');
    }
    if (path === '/') {
      if (!userId) return redirect('/about');
      return layout(res, 200, 'Home', s, '<div id="mastodon"></div>');
    }
    if (path === '/auth/edit' && method === 'GET') {
      if (!userId) return requireUser();
      return editPage(res, s, userId, activation!);
    }
    const sessionMatch = /^\/settings\/sessions\/(\d+)$/.exec(path);
    if (sessionMatch && method === 'DELETE') {
      if (!userId) return requireUser();
      const target = m.activations.find((a) => a.userId === userId && a.id === Number(sessionMatch[1]));
      if (!target) return layout(res, 404, 'The page you are looking for isn\'t here.', s, '');
      m.activations = m.activations.filter((a) => a !== target);
      return redirect('/auth/edit');
    }
    if (path === '/oauth/authorized_applications' && method === 'GET') {
      if (!userId) return requireUser();
      return appsPage(res, s, userId);
    }
    const appMatch = /^\/oauth\/authorized_applications\/(\d+)$/.exec(path);
    if (appMatch && method === 'DELETE') {
      if (!userId) return requireUser();
      // revoke_tokens_and_grants_for: nothing to revoke is no error.
      m.apps = m.apps.filter((a) => !(a.userId === userId && a.id === Number(appMatch[1]) && !a.superapp));
      return redirect('/oauth/authorized_applications');
    }
    return layout(res, 404, 'The page you are looking for isn\'t here.', s, '');
  }, { host, siteHost: opts.siteHost });
  m.origin = loopback.origin;
  m.close = loopback.close;
  return m;
}

// ---------------------------------------------------------------------------------------------
// As a case server: actions 'sign-in' {userAgent, ip} (this browser, through the sign-in form),
// 'sign-in-elsewhere' {userAgent, ip, user}, 'authorize-app' {name, website, user},
// 'refuse-tokens', 'drop-sessions-table'. The case user is alice; bob shares the instance.

export interface MastodonCaseServer extends CaseServer {
  native: MastodonServer;
}

const EMAILS: Record<string, string> = { alice: 'alice@example.social', bob: 'bob@example.social' };

export async function startMastodonCaseServer(opts: { host?: string } = {}): Promise<MastodonCaseServer> {
  const m = await startMastodon(opts);
  const str = (args: Record<string, unknown>, name: string, fallback: string) => (typeof args[name] === 'string' ? (args[name] as string) : fallback);
  const email = (args: Record<string, unknown>) => EMAILS[str(args, 'user', 'alice')]!;
  return {
    native: m,
    origin: m.origin,
    instanceUrl: m.origin,
    async act(action, args, browser) {
      if (action === 'sign-in') {
        const headers = { 'user-agent': str(args, 'userAgent', 'node'), 'x-forwarded-for': str(args, 'ip', '127.0.0.1') };
        const page = await browser.fetch(`${m.origin}/auth/sign_in`, { headers });
        const token = /name="authenticity_token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
        const res = await browser.fetch(`${m.origin}/auth/sign_in`, {
          method: 'POST', redirect: 'manual',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ authenticity_token: token, 'user[email]': email(args), 'user[password]': 'alice-password' }).toString(),
        });
        if (res.status !== 302) throw new Error(`sign-in: HTTP ${res.status}`);
      } else if (action === 'sign-in-elsewhere') {
        m.signInElsewhere(email(args), str(args, 'userAgent', 'node'), str(args, 'ip', '192.0.2.1'));
      } else if (action === 'authorize-app') {
        m.authorizeApp(email(args), str(args, 'name', 'An app'), typeof args.website === 'string' ? args.website : undefined);
      } else if (action === 'refuse-tokens') {
        m.refuseTokens = true;
      } else if (action === 'drop-sessions-table') {
        m.dropSessionsTable = true;
      } else {
        throw new Error(`server "mastodon" has no action "${action}"`);
      }
    },
    async liveSessions(browser) {
      // The ids the connector gives: this browser's row has no revoke link, so no id but 'current'.
      const mine = browser.jar.get(`${m.origin}/`, '_session_id');
      const activations = m.activations.filter((a) => a.userId === 1);
      const current = activations.some((a) => a.sessionId === mine) ? 'current' : null;
      const ids = [
        ...activations.map((a) => (a.sessionId === mine ? 'current' : String(a.id))),
        ...m.apps.filter((a) => a.userId === 1 && !a.superapp).map((a) => `app-${a.id}`),
      ];
      return { ids, current };
    },
    secrets: (browser) => [
      ...m.activations.map((a) => a.sessionId),
      ...[...m.sessions.keys()],
      ...[...m.sessions.values()].map((s) => s.csrf.toString('base64')),
      ...browser.jar.all().map((c) => c.value),
    ].filter((s) => s.length >= 16),
    async reset() {
      m.reset();
    },
    close: () => m.close(),
  };
}
