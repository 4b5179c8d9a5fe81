/**
 * A loopback authentik, as far as its user's session list goes, written from goauthentik/authentik
 * (files named in src/connectors/authentik.ts):
 *
 *   GET    /api/v3/core/users/me/                          {user: {pk, username, name, email, ...}}
 *   GET    /api/v3/core/authenticated_sessions/?user__username=&page=&page_size=
 *                                                          {pagination: {next (0: none), previous,
 *                                                          count, current, total_pages, start_index,
 *                                                          end_index}, results: [{uuid, current,
 *                                                          user_agent (ua-parser), geo_ip, asn, user,
 *                                                          last_ip, last_user_agent, last_used,
 *                                                          expires}]}; a user sees only their own
 *                                                          (ObjectPermissionsFilter, owner_field user),
 *                                                          a superuser everyone's unless filtered
 *   DELETE /api/v3/core/authenticated_sessions/{uuid}/     204; someone else's is 404
 * Authentication: the authentik_session cookie (HttpOnly). Without it DRF answers 403 {"detail":
 * "Authentication credentials were not provided."}. Unsafe methods under session authentication go
 * through Django's CSRF check (DRF SessionAuthentication.enforce_csrf, CSRF_HEADER_NAME
 * HTTP_X_AUTHENTIK_CSRF, CSRF_COOKIE_NAME authentik_csrf, not HttpOnly): a foreign Origin, a
 * missing cookie, a missing or wrong X-authentik-CSRF header are each 403 {"detail": "CSRF Failed:
 * ..."}, before the view runs. A deleted AuthenticatedSession ends its Django session.
 *
 * Test-only: GET /__test/sign-in signs this browser in (User-Agent and X-Forwarded-For as sent) and
 * sets the CSRF cookie as the flow interface's page does.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import type { CaseServer } from './case-server';

export interface AuthentikSession {
  uuid: string;
  /** The authentik_session cookie's value (Django's session key). */
  key: string;
  userPk: number;
  lastIp: string;
  lastUserAgent: string;
  lastUsed: string;
  expires: string;
  geo: { city: string; country: string } | null;
}

export interface AuthentikServer {
  origin: string;
  users: { pk: number; username: string; name: string; email: string; superuser: boolean }[];
  sessions: AuthentikSession[];
  /** Every CSRF secret handed out. */
  csrfSecrets: string[];
  pageSize: number;
  /** The CSRF header is refused whatever it holds (a token from before a rotation). */
  spoilCsrf: boolean;
  /** The API answers with the web interface's HTML (a proxy in front, a moved API). */
  htmlApi: boolean;
  signInElsewhere(username: string, userAgent: string, ip: string, geo?: { city: string; country: string }): AuthentikSession;
  reset(): void;
  close(): Promise<void>;
}

/** ua-parser's Parse() for the agents the cases use. */
function parseUa(ua: string) {
  const browser = /Firefox\/(\d+)\.(\d+)/.exec(ua) ?? /Chrome\/(\d+)\.(\d+)/.exec(ua) ?? /Version\/(\d+)\.(\d+).*Safari/.exec(ua);
  const family = /Firefox/.test(ua) ? 'Firefox' : /Chrome/.test(ua) ? 'Chrome' : /iPhone/.test(ua) ? 'Mobile Safari' : 'Other';
  const os = /iPhone/.test(ua) ? { family: 'iOS', major: /OS (\d+)_/.exec(ua)?.[1] ?? null } : /Windows NT 10/.test(ua) ? { family: 'Windows', major: '10' } : /Linux/.test(ua) ? { family: 'Linux', major: null } : { family: 'Other', major: null };
  const device = /iPhone/.test(ua) ? { family: 'iPhone', brand: 'Apple', model: 'iPhone' } : { family: 'Other', brand: null, model: null };
  return {
    device,
    os: { ...os, minor: null, patch: null, patch_minor: null },
    user_agent: { family, major: browser?.[1] ?? null, minor: browser?.[2] ?? null, patch: null },
    string: ua,
  };
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', vary: 'Cookie' });
  res.end(JSON.stringify(body));
};

export async function startAuthentik(): Promise<AuthentikServer> {
  const a: AuthentikServer = {
    origin: '',
    users: [
      { pk: 7, username: 'alice', name: 'Alice Liddell', email: 'alice@example.org', superuser: true },
      { pk: 8, username: 'bob', name: 'Bob', email: 'bob@example.org', superuser: false },
    ],
    sessions: [],
    csrfSecrets: [],
    pageSize: 100,
    spoilCsrf: false,
    htmlApi: false,
    signInElsewhere: (username, userAgent, ip, geo) => newSession(username, userAgent, ip, geo ?? null),
    reset() {
      a.sessions.length = 0;
      a.csrfSecrets.length = 0;
      a.pageSize = 100;
      a.spoilCsrf = a.htmlApi = false;
    },
    close: async () => undefined,
  };

  function newSession(username: string, userAgent: string, ip: string, geo: AuthentikSession['geo']): AuthentikSession {
    const user = a.users.find((u) => u.username === username)!;
    const t = Date.now() - a.sessions.length * 60_000;
    const s: AuthentikSession = { uuid: randomUUID(), key: randomBytes(24).toString('hex'), userPk: user.pk, lastIp: ip, lastUserAgent: userAgent, lastUsed: new Date(t).toISOString(), expires: new Date(t + 86_400_000).toISOString(), geo };
    a.sessions.push(s);
    return s;
  }

  const cookie = (req: http.IncomingMessage, name: string) => new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];

  /** Django's CsrfViewMiddleware as DRF's SessionAuthentication runs it: the reason, or null when it passes. */
  function csrfFailure(req: http.IncomingMessage): string | null {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== a.origin) return `Origin checking failed - ${origin} does not match any trusted origins.`;
    const secret = cookie(req, 'authentik_csrf');
    if (!secret) return 'CSRF cookie not set.';
    const header = req.headers['x-authentik-csrf'];
    if (typeof header !== 'string' || header === '') return 'CSRF token missing.';
    if (a.spoilCsrf || header !== secret) return "CSRF token from the 'X-Authentik-Csrf' HTTP header incorrect.";
    return null;
  }

  const represent = (s: AuthentikSession, me: AuthentikSession) => ({
    uuid: s.uuid,
    current: s.key === me.key,
    user_agent: parseUa(s.lastUserAgent),
    geo_ip: s.geo ? { continent: 'EU', country: s.geo.country, lat: 48.1, long: 11.6, city: s.geo.city } : null,
    asn: null,
    user: s.userPk,
    last_ip: s.lastIp,
    last_user_agent: s.lastUserAgent,
    last_used: s.lastUsed,
    expires: s.expires,
  });

  const loopback = await listenOnLoopback((req, res) => {
    const url = new URL(req.url ?? '/', a.origin);
    const path = url.pathname;
    if (path === '/__test/sign-in') {
      const s = newSession('alice', String(req.headers['user-agent'] ?? ''), String(req.headers['x-forwarded-for'] ?? '127.0.0.1'), { city: 'Munich', country: 'DE' });
      const csrf = randomBytes(16).toString('hex');
      a.csrfSecrets.push(csrf);
      res.writeHead(200, { 'set-cookie': [`authentik_session=${s.key}; Path=/; HttpOnly; SameSite=None`, `authentik_csrf=${csrf}; Path=/; SameSite=Lax`] });
      res.end('signed in');
      return;
    }
    if (!path.startsWith('/api/v3/')) return json(res, 404, { detail: 'Not found.' });
    if (a.htmlApi) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><body><ak-interface-user></ak-interface-user></body></html>');
      return;
    }
    const key = cookie(req, 'authentik_session');
    const me = key ? a.sessions.find((s) => s.key === key) : undefined;
    if (!me) return json(res, 403, { detail: 'Authentication credentials were not provided.' });
    const user = a.users.find((u) => u.pk === me.userPk)!;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const why = csrfFailure(req);
      if (why) return json(res, 403, { detail: `CSRF Failed: ${why}` });
    }
    if (path === '/api/v3/core/users/me/' && req.method === 'GET') {
      return json(res, 200, { user: { pk: user.pk, username: user.username, name: user.name, email: user.email, is_active: true, is_superuser: user.superuser, groups: [], avatar: '', uid: 'x', settings: {}, type: 'internal', system_permissions: [] } });
    }
    if (path === '/api/v3/core/authenticated_sessions/' && req.method === 'GET') {
      const filter = url.searchParams.get('user__username');
      // ObjectPermissionsFilter: a superuser sees every session, others only their own.
      let rows = a.sessions.filter((s) => user.superuser || s.userPk === user.pk);
      if (filter !== null) rows = rows.filter((s) => a.users.find((u) => u.pk === s.userPk)?.username === filter);
      const size = Number(url.searchParams.get('page_size')) || a.pageSize;
      const page = Number(url.searchParams.get('page')) || 1;
      const pages = Math.max(1, Math.ceil(rows.length / size));
      if (page > pages) return json(res, 404, { detail: 'Invalid page.' });
      const slice = rows.slice((page - 1) * size, page * size);
      return json(res, 200, {
        pagination: { next: page < pages ? page + 1 : 0, previous: page > 1 ? page - 1 : 0, count: rows.length, current: page, total_pages: pages, start_index: (page - 1) * size + 1, end_index: (page - 1) * size + slice.length },
        results: slice.map((s) => represent(s, me)),
        autocomplete: {},
      });
    }
    const uuid = /^\/api\/v3\/core\/authenticated_sessions\/([^/]+)\/$/.exec(path)?.[1];
    if (uuid && req.method === 'DELETE') {
      const i = a.sessions.findIndex((s) => s.uuid === uuid && (user.superuser || s.userPk === user.pk));
      if (i < 0) return json(res, 404, { detail: 'No AuthenticatedSession matches the given query.' });
      a.sessions.splice(i, 1);
      res.writeHead(204).end();
      return;
    }
    json(res, 405, { detail: `Method "${req.method}" not allowed.` });
  });
  a.origin = loopback.origin;
  a.close = loopback.close;
  return a;
}

// authentik: actions 'sign-in' {userAgent, ip} (this browser), 'sign-in-elsewhere' {user, userAgent,
// ip, city, country}, 'page-size' {n}, 'spoil-csrf', 'drop-csrf-cookie', 'html-api'. The case user
// alice is a superuser (she sees bob's sessions unless the list is filtered to her).

export interface AuthentikCaseServer extends CaseServer {
  native: AuthentikServer;
}

export async function startAuthentikCaseServer(): Promise<AuthentikCaseServer> {
  const a = await startAuthentik();
  const str = (args: Record<string, unknown>, name: string, fallback: string) => (typeof args[name] === 'string' ? (args[name] as string) : fallback);
  return {
    native: a,
    origin: a.origin,
    instanceUrl: a.origin,
    async act(action, args, browser) {
      if (action === 'sign-in') {
        const res = await browser.fetch(`${a.origin}/__test/sign-in`, { headers: { 'user-agent': str(args, 'userAgent', 'node'), 'x-forwarded-for': str(args, 'ip', '127.0.0.1') } });
        if (!res.ok) throw new Error(`sign-in: HTTP ${res.status}`);
        await res.body?.cancel();
      } else if (action === 'sign-in-elsewhere') {
        const geo = typeof args.city === 'string' ? { city: args.city, country: str(args, 'country', '') } : undefined;
        a.signInElsewhere(str(args, 'user', 'alice'), str(args, 'userAgent', 'node'), str(args, 'ip', '192.0.2.1'), geo);
      } else if (action === 'page-size') {
        a.pageSize = Number(args.n);
      } else if (action === 'spoil-csrf') {
        a.spoilCsrf = true;
      } else if (action === 'drop-csrf-cookie') {
        browser.jar.storeFrom(new Response(null, { headers: { 'set-cookie': 'authentik_csrf=; Path=/; Max-Age=0' } }), `${a.origin}/`);
      } else if (action === 'html-api') {
        a.htmlApi = true;
      } else {
        throw new Error(`server "authentik" has no action "${action}"`);
      }
    },
    async liveSessions(browser) {
      const key = browser.jar.get(`${a.origin}/`, 'authentik_session');
      const mine = a.sessions.filter((s) => s.userPk === 7);
      return { ids: mine.map((s) => s.uuid), current: mine.find((s) => s.key === key)?.uuid ?? null };
    },
    secrets: (browser) => [...a.sessions.map((s) => s.key), ...a.csrfSecrets, ...browser.jar.all().map((c) => c.value)].filter((s) => s.length >= 16),
    async reset() {
      a.reset();
    },
    close: () => a.close(),
  };
}
