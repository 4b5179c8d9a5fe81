/**
 * A loopback github.com, as far as its sessions settings go. GitHub's server code is not public:
 * this is the page as src/connectors/github.ts records it (github/docs viewing-and-managing-your-
 * sessions.md @04140376 for what is on it; `meta[name=user-login]`, `relative-time`), on the
 * Rails behaviour GitHub runs (rails/rails actionpack request_forgery_protection.rb with
 * per_form_csrf_tokens: a form's token is bound to its action and method, so a token lifted from
 * another form is refused with 422; the Origin check; Rack::MethodOverride):
 *
 * - `user_session` cookie (HttpOnly, SameSite=Lax) and `logged_in=yes`; signed out, settings
 *   pages redirect to /login?return_to=…; /login has the sign-in form (POST /session).
 * - GET /settings/sessions: the web sessions list; GET /settings/sessions/{id}: details, with the
 *   "Revoke session" form (DELETE) for any session but this browser's own.
 * - GET /logout: the "Sign out" form; POST /logout ends this browser's session and expires its
 *   cookies.
 * - Sudo mode ('require-sudo'): a DELETE answers 200 with the "Confirm access" page (a form to
 *   /sessions/sudo) and ends nothing.
 *
 * Actions: 'sign-in' {browser, os, location, ip} (this browser, through the sign-in form),
 * 'sign-in-elsewhere' {user, browser, os, location, ip}, 'require-sudo', 'refuse-tokens',
 * 'drop-session-list', 'drop-session-links'. User alice; bob is another account.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { escapeHtml, maskToken, railsRequest, readCookie, unmaskMatches } from './rails-kit';
import type { CaseServer } from './case-server';
import { listenOnLoopback, type TlsFiles } from './loopback';

interface WebSession {
  id: number;
  /** The `user_session` cookie value. */
  token: string;
  user: string;
  browser: string;
  os: string;
  location: string;
  ip: string;
  lastActive: number;
}

/** Per-form token secret: the session's CSRF secret bound to the form's path and method. */
const formSecret = (secret: Buffer, path: string, method: string) => createHmac('sha256', secret).update(`${path}#${method.toLowerCase()}`).digest();

export interface GitHubStandIn extends CaseServer {
  /** Records a session of `user` on another device (end-to-end tests, which have no case steps). */
  signInElsewhere(user: string, device: Record<string, string>): void;
  /** The ids of `user`'s live web sessions. */
  sessionIds(user: string): string[];
}

/**
 * `tls`: serve HTTPS, for end-to-end tests that map github.com here with Chromium's
 * --host-resolver-rules (answers then speak of the Host the browser asked for, not 127.0.0.1).
 */
export async function startGitHubCaseServer(opts: { tls?: TlsFiles } = {}): Promise<GitHubStandIn> {
  const users = [{ login: 'alice', password: 'alice-github-password' }, { login: 'bob', password: 'bob-github-password' }];
  let sessions: WebSession[] = [];
  /** CSRF secrets by `_gh_sess` (the Rails session, signed in or not). */
  const csrf = new Map<string, Buffer>();
  let nextId = 1_400_000_001;
  let flags = { sudo: false, refuseTokens: false, dropList: false, dropLinks: false };
  let origin = '';

  function record(user: string, args: Record<string, unknown>, token = randomBytes(32).toString('base64url')): WebSession {
    const str = (k: string, d: string) => (typeof args[k] === 'string' ? (args[k] as string) : d);
    const s: WebSession = { id: nextId++, token, user, browser: str('browser', 'Chrome'), os: str('os', 'Windows'), location: str('location', 'Unknown'), ip: str('ip', '192.0.2.1'), lastActive: Date.now() - 60_000 * (sessions.length + 1) };
    sessions.push(s);
    return s;
  }

  const layout = (title: string, login: string, body: string) =>
    `<!DOCTYPE html>\n<html lang="en" data-color-mode="auto">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n` +
    `<meta name="user-login" content="${escapeHtml(login)}">\n<meta property="og:site_name" content="GitHub">\n</head>\n<body class="logged-in env-production page-responsive">\n<main>${body}</main>\n</body>\n</html>\n`;

  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}" autocomplete="off" />`;

  function row(s: WebSession, mine: boolean): string {
    const link = flags.dropLinks ? '' : `<a class="btn btn-sm" href="/settings/sessions/${s.id}">See more</a>`;
    return `<li class="Box-row d-flex flex-items-center">\n<div class="flex-auto">\n<strong>${escapeHtml(s.location)} ${escapeHtml(s.ip)}</strong>` +
      `${mine ? ' <span class="Label Label--success">Your current session</span>' : ''}\n` +
      `<div class="color-fg-muted">${escapeHtml(s.browser)} on ${escapeHtml(s.os)}</div>\n` +
      `<div class="color-fg-muted">Last accessed on <relative-time datetime="${new Date(s.lastActive).toISOString()}">${new Date(s.lastActive).toDateString()}</relative-time></div>\n</div>\n${link}\n</li>`;
  }

  const handler: http.RequestListener = async (req, res) => {
    // The site as the browser addresses it (github.com in end-to-end tests, 127.0.0.1:port here).
    const self = `${opts.tls ? 'https' : 'http'}://${req.headers.host}`;
    const url = new URL(req.url ?? '/', self);
    const path = url.pathname;
    let gh = readCookie(req, '_gh_sess');
    if (!gh || !csrf.has(gh)) {
      gh = randomBytes(24).toString('base64url');
      csrf.set(gh, randomBytes(32));
      res.appendHeader('set-cookie', `_gh_sess=${gh}; path=/; secure; HttpOnly; SameSite=Lax`);
    }
    const secret = csrf.get(gh)!;
    const token = (action: string, method: string) => maskToken(formSecret(secret, action, method));
    const userSession = readCookie(req, 'user_session');
    const mine = userSession ? sessions.find((s) => s.token === userSession) : undefined;
    const html = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    const redirect = (to: string) => res.writeHead(302, { location: new URL(to, self).href }).end();

    const { method, form } = await railsRequest(req);
    if (method !== 'GET' && method !== 'HEAD') {
      const given = form.get('authenticity_token') ?? '';
      const originOk = req.headers.origin === undefined || req.headers.origin === self;
      if (!originOk || flags.refuseTokens || !given || !unmaskMatches(given, formSecret(secret, path, method))) {
        return html(422, '<!DOCTYPE html><html><head><title>422 Unprocessable Entity</title></head><body><h1>The change you wanted was rejected.</h1></body></html>');
      }
    }

    if (path === '/login' && method === 'GET') {
      return html(200, layout('Sign in to GitHub · GitHub', '', `<form action="/session" accept-charset="UTF-8" method="post">${hidden('authenticity_token', token('/session', 'post'))}<input type="text" name="login" id="login_field"><input type="password" name="password" id="password"><input type="submit" name="commit" value="Sign in"></form>`));
    }
    if (path === '/session' && method === 'POST') {
      const user = users.find((u) => u.login === form.get('login') && u.password === form.get('password'));
      if (!user) return html(200, layout('Sign in to GitHub · GitHub', '', '<div class="flash flash-error">Incorrect username or password.</div>'));
      const s = record(user.login, JSON.parse(form.get('__test_device') ?? '{}') as Record<string, unknown>);
      res.appendHeader('set-cookie', `user_session=${s.token}; path=/; expires=${new Date(Date.now() + 14 * 86_400_000).toUTCString()}; secure; HttpOnly; SameSite=Lax`);
      res.appendHeader('set-cookie', 'logged_in=yes; path=/; secure; SameSite=Lax');
      return redirect('/');
    }
    if (!mine) return redirect(`/login?return_to=${encodeURIComponent(path)}`);

    if (path === '/settings/sessions' && method === 'GET') {
      const list = sessions.filter((s) => s.user === mine.user).sort((a, b) => (a === mine ? -1 : b === mine ? 1 : b.lastActive - a.lastActive));
      const web = flags.dropList ? '' : `<div id="web-sessions" class="Box"><ul>\n${list.map((s) => row(s, s === mine)).join('\n')}\n</ul></div>`;
      return html(200, layout('Sessions', mine.user, `<div class="Subhead"><h2 class="Subhead-heading">Web sessions</h2></div>\n<p>This is a list of devices that have logged into your account. Revoke any sessions that you do not recognize.</p>\n${web}\n<div class="Subhead"><h2 class="Subhead-heading">GitHub Mobile sessions</h2></div><div class="Box"><div class="Box-row">No devices.</div></div>`));
    }
    const one = /^\/settings\/sessions\/(\d+)$/.exec(path);
    const target = one ? sessions.find((s) => s.id === Number(one[1]) && s.user === mine.user) : undefined;
    if (one && method === 'GET') {
      if (!target) return html(404, layout('Page not found · GitHub', mine.user, '<h1>404</h1>'));
      const revoke = target === mine
        ? '<p>This is your current session.</p>'
        : `<form class="button_to" action="${path}" accept-charset="UTF-8" method="post">${hidden('_method', 'delete')}<button class="btn btn-danger" type="submit">Revoke session</button>${hidden('authenticity_token', token(path, 'delete'))}</form>`;
      return html(200, layout('Session details', mine.user, `<h2>${escapeHtml(target.browser)} on ${escapeHtml(target.os)}</h2><dl><dt>Location</dt><dd>${escapeHtml(target.location)}</dd><dt>IP address</dt><dd>${escapeHtml(target.ip)}</dd></dl>${revoke}`));
    }
    if (one && method === 'DELETE') {
      if (flags.sudo) {
        return html(200, layout('Confirm access', mine.user, `<h1>Confirm access</h1><form action="/sessions/sudo" accept-charset="UTF-8" method="post">${hidden('authenticity_token', token('/sessions/sudo', 'post'))}<input type="password" name="sudo_password"><button type="submit">Confirm</button></form>`));
      }
      if (!target) return html(404, layout('Page not found · GitHub', mine.user, '<h1>404</h1>'));
      sessions = sessions.filter((s) => s !== target);
      return redirect('/settings/sessions');
    }
    if (path === '/logout' && method === 'GET') {
      return html(200, layout('Sign out', mine.user, `<h1>Select account to sign out</h1><form action="/logout" accept-charset="UTF-8" method="post">${hidden('authenticity_token', token('/logout', 'post'))}<input type="submit" value="Sign out from all accounts"></form>`));
    }
    if (path === '/logout' && method === 'POST') {
      sessions = sessions.filter((s) => s !== mine);
      res.appendHeader('set-cookie', 'user_session=; path=/; max-age=0; secure; HttpOnly');
      res.appendHeader('set-cookie', 'logged_in=no; path=/; secure; SameSite=Lax');
      return redirect('/');
    }
    if (path === '/') return html(200, layout('GitHub', mine.user, '<h1>Dashboard</h1>'));
    return html(404, layout('Page not found · GitHub', mine.user, '<h1>404</h1>'));
  };
  const loopback = await listenOnLoopback(handler, opts);
  origin = loopback.origin;

  return {
    origin,
    instanceUrl: origin,
    signInElsewhere: (user, device) => void record(user, device),
    sessionIds: (user) => sessions.filter((s) => s.user === user).map((s) => String(s.id)),
    async act(action, args, browser) {
      if (action === 'sign-in') {
        const page = await browser.fetch(`${origin}/login`, {});
        const token = /name="authenticity_token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
        // The device the server records for this browser travels as a test-only field.
        const res = await browser.fetch(`${origin}/session`, {
          method: 'POST', redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ authenticity_token: token, login: 'alice', password: 'alice-github-password', __test_device: JSON.stringify(args) }).toString(),
        });
        if (res.status !== 302) throw new Error(`sign-in: HTTP ${res.status}`);
      } else if (action === 'sign-in-elsewhere') {
        record(typeof args.user === 'string' ? args.user : 'alice', args);
      } else if (action === 'require-sudo') {
        flags.sudo = true;
      } else if (action === 'refuse-tokens') {
        flags.refuseTokens = true;
      } else if (action === 'drop-session-list') {
        flags.dropList = true;
      } else if (action === 'drop-session-links') {
        flags.dropLinks = true;
      } else {
        throw new Error(`server "github" has no action "${action}"`);
      }
    },
    async liveSessions(browser) {
      const mine = browser.jar.get(`${origin}/`, 'user_session');
      const alice = sessions.filter((s) => s.user === 'alice');
      return { ids: alice.map((s) => String(s.id)), current: alice.find((s) => s.token === mine)?.id.toString() ?? null };
    },
    secrets: (browser) => [...sessions.map((s) => s.token), ...csrf.keys(), ...browser.jar.all().map((c) => c.value)].filter((s) => s.length >= 16),
    async reset() {
      sessions = [];
      csrf.clear();
      flags = { sudo: false, refuseTokens: false, dropList: false, dropLinks: false };
    },
    close: loopback.close,
  };
}
