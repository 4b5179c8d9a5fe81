/**
 * Loopback sites whose sign-out behaves like a real framework's, for "Any site" finding and proving
 * the site's own sign-out (src/connectors/sign-out/). What each one copies, and from where:
 *
 *   django        Django 5.x: LogoutView answers only POST (GET 405); CsrfViewMiddleware wants the
 *                 form's `csrfmiddlewaretoken` (masked: a 32-char mask, then the secret shifted by it)
 *                 to match the `csrftoken` cookie, and a present Origin to be the site's, else 403;
 *                 logout flushes the session and redirects to LOGOUT_REDIRECT_URL. The start page
 *                 also offers "Log out of all other devices" (a look-alike) and a search form.
 *                 Read: django/contrib/auth/views.py, django/middleware/csrf.py.
 *   rails         Devise on Rails, in German: the start page links "Einstellungen" and an "Abmelden"
 *                 on another site (single sign-on; never to be followed); the settings page has
 *                 `<a data-method="delete" href="/users/sign_out">Abmelden</a>` and the csrf-param /
 *                 csrf-token meta tags. POST with `_method=delete` and a valid authenticity_token
 *                 ends the session (303); without one 422 (InvalidAuthenticityToken); GET 404.
 *                 Read: rails-ujs features/method, request_forgery_protection.rb.
 *   nonce         shaped like WordPress 6: the admin bar's "Log Out" is
 *                 `wp-login.php?action=logout&_wpnonce=…` (HTML-escaped `&amp;`), the nonce tied to
 *                 the session; without it 403 ("Do you really want to log out?"); with it the session
 *                 token is destroyed and the answer is 302 to wp-login.php?loggedout=true.
 *                 (docs of the real one measured: test/servers/wordpress when merged.)
 *   keeps         a "Sign out" link that only expires the cookie: the session stays valid on the server.
 *   none          signed in, a "Settings" page, and a "Log out" button that works only through script.
 *   spa           a single-page app: every page is an empty shell; its script asks /api/me who is
 *                 signed in (and for the session's CSRF token), then renders "Sign out" (and a
 *                 look-alike "Sign out of all devices"), whose click handler POSTs /api/logout with
 *                 an `x-csrf-token` header, the one way the server ends the session (without the
 *                 header 403, GET 405); signed out, it renders "Sign in". The shape of apps whose
 *                 logout is an API call with a header-borne CSRF token (Angular's X-XSRF-TOKEN,
 *                 Laravel Sanctum/Axios, Rails API + fetch).
 *   spa-menu      the same app and server, but its sign-out is drawn only while the account menu is
 *                 open: an avatar button (aria-haspopup="menu", aria-expanded="false", aria-controls,
 *                 "Open user menu") whose click mounts the menu, as the WAI-ARIA Authoring Practices'
 *                 menu button pattern and Headless UI's Menu (its items unmounted while closed:
 *                 tailwindlabs/headlessui packages/@headlessui-react/src/components/menu/menu.tsx)
 *                 render it. Beside it a "Notifications" menu button whose click marks everything
 *                 read (POST /api/notifications/read): pressing it would change the person's data,
 *                 so a test can tell that nothing but the account menu was opened.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import { stringArg, unknownAction, type CaseServer } from './case-server';

export type Flavour = 'django' | 'rails' | 'nonce' | 'keeps' | 'none' | 'spa' | 'spa-menu';

export interface FrameworkSite {
  origin: string;
  flavour: Flavour;
  cookie: string;
  /** Live sessions: id -> user. */
  sessions: Map<string, string>;
  /** Every token the site handed out (CSRF secrets, nonces): secrets for the harness. */
  secrets(): string[];
  /** Requests seen, as "METHOD /path" (no query), for tests that a link elsewhere was never followed. */
  requests: string[];
  /** spa: its logout only expires the cookie, the session stays valid (as `keeps` does). */
  keepSessions: boolean;
  reset(): void;
  close(): Promise<void>;
}

const COOKIES: Record<Flavour, string> = { django: 'sessionid', rails: '_app_session', nonce: 'wordpress_logged_in_5f0e', keeps: 'sid', none: 'sid', spa: 'sid', 'spa-menu': 'sid' };
const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const KEY = randomBytes(32);

function cookieOf(req: http.IncomingMessage, name: string): string | undefined {
  return new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
}

async function formOf(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}

// Django's masking: each character of the secret shifted by the mask's, the mask in front.
function djangoMask(secret: string): string {
  const mask = Array.from(randomBytes(32), (b) => CHARS[b % CHARS.length]).join('');
  const cipher = [...secret].map((c, i) => CHARS[(CHARS.indexOf(c) + CHARS.indexOf(mask[i]!)) % CHARS.length]).join('');
  return mask + cipher;
}
function djangoUnmask(token: string): string {
  const mask = token.slice(0, 32);
  return [...token.slice(32)].map((c, i) => CHARS[(CHARS.indexOf(c) - CHARS.indexOf(mask[i]!) + CHARS.length) % CHARS.length]).join('');
}

// Rails's masked token: base64(one-time pad + (pad XOR secret)).
function railsMask(secret: Buffer): string {
  const pad = randomBytes(secret.length);
  return Buffer.concat([pad, Buffer.from(pad.map((b, i) => b ^ secret[i]!))]).toString('base64');
}
function railsValid(token: string | null, secret: Buffer | undefined): boolean {
  if (!token || !secret) return false;
  const raw = Buffer.from(token, 'base64');
  if (raw.length !== secret.length * 2) return false;
  const pad = raw.subarray(0, secret.length);
  return raw.subarray(secret.length).every((b, i) => (b ^ pad[i]!) === secret[i]);
}

const spaCsrf = (session: string) => createHmac('sha256', KEY).update(`csrf|${session}`).digest('hex');

/** The single-page app's script, served as /app.js: it renders everything, after asking the server who is signed in. */
const SPA_SCRIPT = `
const app = document.getElementById('app');
async function render() {
  const me = await fetch('/api/me').then((r) => (r.ok ? r.json() : null));
  if (!me) {
    app.innerHTML = '<header><a href="/login">Sign in</a></header><p>Welcome</p>';
    return;
  }
  app.innerHTML = '<header><span class="who"></span> <button type="button" class="others">Sign out of all devices</button>'
    + ' <button type="button" class="out"><svg aria-hidden="true"></svg><span>Sign out</span></button></header><main>Dashboard</main>';
  app.querySelector('.who').textContent = me.user;
  app.querySelector('.others').addEventListener('click', () => fetch('/api/logout-others', { method: 'POST', headers: { 'x-csrf-token': me.csrf } }));
  app.querySelector('.out').addEventListener('click', async () => {
    const res = await fetch('/api/logout', { method: 'POST', headers: { 'x-csrf-token': me.csrf } });
    if (res.ok) await render();
  });
}
app.textContent = 'Loading…';
setTimeout(render, 300);
`;

/** The app with its sign-out inside the account menu, mounted only while the menu is open (see `spa-menu`). */
const SPA_MENU_SCRIPT = `
const app = document.getElementById('app');
async function render() {
  const me = await fetch('/api/me').then((r) => (r.ok ? r.json() : null));
  if (!me) {
    app.innerHTML = '<header><a href="/login">Sign in</a></header><p>Welcome</p>';
    return;
  }
  app.innerHTML = '<header><button type="button" class="bell" aria-haspopup="menu" aria-expanded="false">Notifications</button>'
    + ' <button type="button" class="avatar-button" aria-haspopup="menu" aria-expanded="false" aria-controls="user-menu" aria-label="Open user menu">'
    + '<img class="avatar" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="" width="24" height="24"></button>'
    + '<div class="menu-host"></div></header><main>Dashboard</main>';
  const bell = app.querySelector('.bell');
  bell.addEventListener('click', () => {
    bell.setAttribute('aria-expanded', 'true');
    fetch('/api/notifications/read', { method: 'POST', headers: { 'x-csrf-token': me.csrf } });
  });
  const button = app.querySelector('.avatar-button');
  const host = app.querySelector('.menu-host');
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!open));
    if (open) { host.innerHTML = ''; return; }
    // Mounted a moment after the click, as a framework's next render would.
    setTimeout(() => {
      host.innerHTML = '<div id="user-menu" role="menu"><span class="who"></span>'
        + '<a role="menuitem" href="/profile">Your profile</a>'
        + '<button type="button" role="menuitem" class="others">Sign out of all devices</button>'
        + '<button type="button" role="menuitem" class="out">Sign out</button></div>';
      host.querySelector('.who').textContent = me.user;
      host.querySelector('.others').addEventListener('click', () => fetch('/api/logout-others', { method: 'POST', headers: { 'x-csrf-token': me.csrf } }));
      host.querySelector('.out').addEventListener('click', async () => {
        const res = await fetch('/api/logout', { method: 'POST', headers: { 'x-csrf-token': me.csrf } });
        if (res.ok) await render();
      });
    }, 150);
  });
}
app.textContent = 'Loading…';
setTimeout(render, 300);
`;

const wpNonce = (session: string) => createHmac('sha256', KEY).update(`log-out|${session}`).digest('hex').slice(0, 10);

function page(res: http.ServerResponse, status: number, head: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><meta charset="utf-8">${head}<title>Site</title></head><body>${body}</body></html>`);
}

/**
 * `host`: the name the site is reached by (it listens on 127.0.0.1 either way). Chromium resolves
 * every *.localhost name to loopback, so `a.localhost` and `b.localhost` are separate cookie sites.
 */
export async function startFrameworkSite(flavour: Flavour, { host = '127.0.0.1' }: { host?: string } = {}): Promise<FrameworkSite> {
  const cookie = COOKIES[flavour];
  const sessions = new Map<string, string>();
  const csrfSecrets = new Map<string, Buffer>(); // rails: per session
  const handedOut = new Set<string>();
  const requests: string[] = [];
  let origin = '';

  const loopback = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    requests.push(`${req.method} ${url.pathname}`);
    const sid = cookieOf(req, cookie);
    const user = sid ? sessions.get(sid) : undefined;
    const expire = `${cookie}=; Path=/; HttpOnly; Max-Age=0`;

    if (url.pathname === '/login') {
      const id = randomBytes(20).toString('hex');
      sessions.set(id, url.searchParams.get('user') ?? 'alice');
      const set = [`${cookie}=${id}; Path=/; HttpOnly; SameSite=Lax`];
      if (flavour === 'django') set.push(`csrftoken=${Array.from(randomBytes(32), (b) => CHARS[b % CHARS.length]).join('')}; Path=/; SameSite=Lax`);
      if (flavour === 'rails') csrfSecrets.set(id, randomBytes(32));
      res.setHeader('set-cookie', set);
      res.writeHead(302, { location: '/' }).end();
      return;
    }

    if (flavour === 'django') {
      const csrfCookie = cookieOf(req, 'csrftoken');
      const csrfField = () => {
        const masked = djangoMask(csrfCookie ?? '');
        handedOut.add(masked);
        return `<input type="hidden" name="csrfmiddlewaretoken" value="${masked}">`;
      };
      if (url.pathname === '/accounts/logout/' || url.pathname === '/accounts/logout-others/') {
        if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST, OPTIONS' }).end();
        const form = await formOf(req);
        const token = form.get('csrfmiddlewaretoken') ?? '';
        const originOk = req.headers.origin === undefined || req.headers.origin === origin;
        if (!originOk || !csrfCookie || token.length !== 64 || djangoUnmask(token) !== csrfCookie) {
          return page(res, 403, '', '<h1>Forbidden (403)</h1><p>CSRF verification failed. Request aborted.</p>');
        }
        if (url.pathname === '/accounts/logout/') {
          if (sid) sessions.delete(sid);
          res.setHeader('set-cookie', expire);
        } else {
          for (const [id, u] of sessions) if (id !== sid && u === user) sessions.delete(id);
        }
        return void res.writeHead(302, { location: '/' }).end();
      }
      if (url.pathname === '/') {
        if (!user) return page(res, 200, '', '<a href="/accounts/login/">Log in</a>');
        return page(res, 200, '', `<nav><a href="/accounts/profile/">Profile</a></nav><p>Hello ${user}</p>
          <form action="/search"><input name="q" aria-label="Search"><button>Log out of search</button></form>
          <form method="post" action="/accounts/logout-others/">${csrfField()}<button type="submit">Log out of all other devices</button></form>
          <form method="post" action="/accounts/logout/" class="logout">${csrfField()}<button type="submit">Log out</button></form>`);
      }
    }

    if (flavour === 'rails') {
      const secret = sid ? csrfSecrets.get(sid) : undefined;
      const meta = () => {
        if (!secret) return '';
        const token = railsMask(secret);
        handedOut.add(token);
        return `<meta name="csrf-param" content="authenticity_token"><meta name="csrf-token" content="${token}">`;
      };
      if (url.pathname === '/users/sign_out') {
        if (req.method !== 'POST') return page(res, 404, '', 'Not Found');
        const form = await formOf(req);
        if (form.get('_method') !== 'delete') return page(res, 404, '', 'Not Found');
        if (!railsValid(form.get('authenticity_token'), secret)) return page(res, 422, '', '<h1>The change you wanted was rejected.</h1>');
        if (sid) sessions.delete(sid);
        res.setHeader('set-cookie', expire);
        return void res.writeHead(303, { location: '/' }).end();
      }
      if (url.pathname === '/') {
        if (!user) return page(res, 200, meta(), '<a href="/users/sign_in">Anmelden</a>');
        return page(res, 200, meta(), `<header><a href="/einstellungen">Einstellungen</a> <a href="https://sso.example.net/logout?return=/">Abmelden</a></header><p>Hallo ${user}</p>`);
      }
      if (url.pathname === '/einstellungen') {
        if (!user) return void res.writeHead(302, { location: '/users/sign_in' }).end();
        return page(res, 200, meta(), `<h1>Einstellungen</h1><a data-method="delete" rel="nofollow" href="/users/sign_out">Abmelden</a>`);
      }
    }

    if (flavour === 'nonce') {
      if (url.pathname === '/wp-login.php' && url.searchParams.get('action') === 'logout') {
        if (!sid || !user || url.searchParams.get('_wpnonce') !== wpNonce(sid)) {
          return page(res, 403, '', '<p>You are attempting to log out of Site</p><p>Do you really want to log out?</p>');
        }
        sessions.delete(sid);
        res.setHeader('set-cookie', expire);
        return void res.writeHead(302, { location: '/wp-login.php?loggedout=true&wp_lang=en_US' }).end();
      }
      if (url.pathname === '/wp-login.php') return page(res, 200, '', '<form method="post" action="/wp-login.php"><input name="log"><input type="password" name="pwd"><input type="submit" value="Log In"></form>');
      if (url.pathname === '/') {
        if (!user || !sid) return page(res, 200, '', '<p>Just another site</p><a href="/wp-login.php">Log in</a>');
        const nonce = wpNonce(sid);
        handedOut.add(nonce);
        return page(res, 200, '', `<div id="wpadminbar"><a class="ab-item" href="/wp-admin/profile.php">Howdy, ${user}</a>
          <a class="ab-item" href="/wp-login.php?action=logout&amp;_wpnonce=${nonce}">Log Out</a></div><p>Just another site</p>`);
      }
    }

    if (flavour === 'keeps') {
      if (url.pathname === '/logout') {
        res.setHeader('set-cookie', expire); // the cookie goes; the session stays valid
        return void res.writeHead(302, { location: '/' }).end();
      }
      if (url.pathname === '/') return page(res, 200, '', user ? `<p>Hi ${user}</p><a href="/logout">Sign out</a>` : '<a href="/login">Sign in</a>');
    }

    if (flavour === 'spa' || flavour === 'spa-menu') {
      if (url.pathname === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(flavour === 'spa' ? SPA_SCRIPT : SPA_MENU_SCRIPT);
      if (url.pathname === '/api/notifications/read') return void res.writeHead(req.method === 'POST' ? 204 : 405).end();
      if (url.pathname === '/api/me') {
        if (!user || !sid) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthenticated"}');
        handedOut.add(spaCsrf(sid));
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user, csrf: spaCsrf(sid) }));
      }
      if (url.pathname === '/api/logout' || url.pathname === '/api/logout-others') {
        if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
        if (!user || !sid || req.headers['x-csrf-token'] !== spaCsrf(sid)) return void res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"csrf"}');
        if (url.pathname === '/api/logout') {
          if (!site.keepSessions) sessions.delete(sid);
          res.setHeader('set-cookie', expire);
        } else {
          for (const [id, u] of sessions) if (id !== sid && u === user) sessions.delete(id);
        }
        return void res.writeHead(204).end();
      }
      // Every other path is the app's shell: its script decides what the page shows.
      return page(res, 200, '', '<div id="app"></div><script src="/app.js"></script>');
    }

    if (flavour === 'none') {
      if (url.pathname === '/') {
        return page(res, 200, '', user ? `<a href="/settings">Settings</a><button type="button" onclick="app.logout()">Log out</button>` : '<a href="/login">Sign in</a>');
      }
      if (url.pathname === '/settings') return page(res, 200, '', user ? '<h1>Settings</h1><p>Theme</p>' : 'Sign in first');
    }
    page(res, 404, '', 'Not found');
  }, { siteHost: host });
  origin = loopback.origin;
  const site: FrameworkSite = {
    origin, flavour, cookie, sessions, requests, keepSessions: false,
    secrets: () => [...sessions.keys(), ...handedOut, ...[...csrfSecrets.values()].map((b) => b.toString('base64'))],
    reset() {
      sessions.clear();
      csrfSecrets.clear();
      handedOut.clear();
      requests.length = 0;
      site.keepSessions = false;
    },
    close: loopback.close,
  };
  return site;
}

// site-django, site-rails, site-nonce, site-keeps, site-none, site-spa (framework-sites.ts): action 'sign-in' {user}.

export interface FrameworkCaseServer extends CaseServer {
  native: FrameworkSite;
}

export async function startFrameworkCaseServer(flavour: Flavour): Promise<FrameworkCaseServer> {
  const native = await startFrameworkSite(flavour);
  return {
    native,
    origin: native.origin,
    instanceUrl: native.origin,
    async act(action, args, browser) {
      if (action !== 'sign-in') unknownAction(`site-${flavour}`, action);
      const res = await browser.fetch(`${native.origin}/login?user=${encodeURIComponent(stringArg(args, 'user', 'alice'))}`, {});
      if (!res.ok) throw new Error(`sign-in: HTTP ${res.status}`);
      await res.body?.cancel();
    },
    async liveSessions(browser) {
      const sid = browser.jar.get(`${native.origin}/`, native.cookie);
      return { ids: [...native.sessions.keys()], current: sid && native.sessions.has(sid) ? sid : null };
    },
    secrets: (browser) => [...native.secrets(), ...browser.jar.all().map((c) => c.value)].filter((s) => s.length >= 10),
    async reset() {
      native.reset();
    },
    close: () => native.close(),
  };
}
