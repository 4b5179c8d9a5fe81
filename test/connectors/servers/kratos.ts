/**
 * A loopback Ory Kratos public API, as far as its session endpoints go, written from ory/kratos
 * (v26.2.0-202-gb86338da0, files named in src/connectors/kratos.ts):
 *
 *   GET    /sessions/whoami     the session of the ory_kratos_session cookie (identity without
 *                               credentials, devices) or 401 ErrNoSessionFound; 403
 *                               session_aal2_required when the session's AAL is below the
 *                               configured one
 *   GET    /sessions            the identity's other active sessions (the cookie's own left out),
 *                               page/per_page (migrationpagination), Link rel="next", X-Total-Count
 *   DELETE /sessions            revokes the others: 200 {count}
 *   DELETE /sessions/{id}       204; the cookie's own session is 400 "cannot revoke current session"
 *                               (use the logout flow); an id that is not the identity's is 404
 *   GET    /self-service/logout/browser  {logout_url, logout_token} for the cookie's session (401 without)
 *   GET    /self-service/logout?token=   the session purged and its cookie cleared: 204 to a JSON
 *                               request, else 303; a token not of the cookie's session is 403
 * Every one of them without a valid cookie is 401; errors are herodot's {error: {code, status,
 * reason, message}}. A revoked session stays in the table with active=false and its cookie stops
 * working. These routes are exempt from Kratos's anti-CSRF check (CSRFHandler().IgnorePath /
 * IgnoreGlob in RegisterPublicRoutes): the cookie alone is the credential, as here.
 *
 * Devices: SetSessionDeviceInformation records ip_address (the client IP), user_agent and location
 * ("City, CC" from Cloudflare's Cf-Ipcity/Cf-Ipcountry headers, else "").
 *
 * Test-only: GET /__test/sign-in signs this browser in (User-Agent, X-Forwarded-For, Cf-Ipcity and
 * Cf-Ipcountry as sent).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import type { CaseServer } from './case-server';

export interface KratosSession {
  id: string;
  token: string;
  /** The session's logout token (Session.LogoutToken): what the browser logout flow hands out. */
  logoutToken: string;
  identityId: string;
  active: boolean;
  aal: 'aal1' | 'aal2';
  authenticatedAt: string;
  expiresAt: string;
  device: { id: string; ip_address: string; user_agent: string; location: string };
}

export interface KratosServer {
  origin: string;
  identities: Map<string, { traits: Record<string, string> }>;
  sessions: KratosSession[];
  /** Page size when a request names none (Kratos: 250). */
  perPage: number;
  /** whoami and the list want aal2 (session.whoami.required_aal: highest_available with a second factor set up). */
  requireAal2: boolean;
  /** The list answers with an HTML page (something in front of Kratos). */
  htmlList: boolean;
  signInElsewhere(identityId: string, userAgent: string, ip: string): KratosSession;
  reset(): void;
  close(): Promise<void>;
}

export const ALICE = '9f425a8d-7efc-4768-8f23-7647a74fdf13';
const BOB = 'c4a7b8e4-3a52-4b44-9b3e-1d2a9d1f7c10';

function herodot(res: http.ServerResponse, code: number, status: string, reason: string, message: string, id?: string) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { ...(id ? { id } : {}), code, status, reason, message } }));
}

const noSession = (res: http.ServerResponse) => herodot(res, 401, 'Unauthorized', 'No valid session credentials found in the request.', 'The request could not be authorized');

export async function startKratos(): Promise<KratosServer> {
  const k: KratosServer = {
    origin: '',
    identities: new Map([
      [ALICE, { traits: { email: 'alice@example.org' } }],
      [BOB, { traits: { email: 'bob@example.org' } }],
    ]),
    sessions: [],
    perPage: 250,
    requireAal2: false,
    htmlList: false,
    signInElsewhere: (identityId, userAgent, ip) => newSession(identityId, userAgent, ip, ''),
    reset() {
      k.sessions.length = 0;
      k.perPage = 250;
      k.requireAal2 = k.htmlList = false;
    },
    close: async () => undefined,
  };

  function newSession(identityId: string, userAgent: string, ip: string, location: string): KratosSession {
    const nowMs = Date.now() - k.sessions.length * 60_000;
    const s: KratosSession = {
      id: randomUUID(),
      token: `ory_st_${randomBytes(24).toString('hex')}`,
      logoutToken: `ory_lo_${randomBytes(24).toString('hex')}`,
      identityId,
      active: true,
      aal: 'aal1',
      authenticatedAt: new Date(nowMs).toISOString(),
      expiresAt: new Date(nowMs + 24 * 3600_000).toISOString(),
      device: { id: randomUUID(), ip_address: ip, user_agent: userAgent, location },
    };
    k.sessions.push(s);
    return s;
  }

  function fromCookie(req: http.IncomingMessage): KratosSession | undefined {
    const m = /(?:^|;\s*)ory_kratos_session=([^;]+)/.exec(req.headers.cookie ?? '');
    const s = m ? k.sessions.find((x) => x.token === m[1]) : undefined;
    return s && s.active && Date.parse(s.expiresAt) > Date.now() ? s : undefined;
  }

  const json = (s: KratosSession) => ({
    id: s.id,
    active: s.active,
    expires_at: s.expiresAt,
    authenticated_at: s.authenticatedAt,
    authenticator_assurance_level: s.aal,
    authentication_methods: [{ method: 'password', aal: 'aal1', completed_at: s.authenticatedAt }],
    issued_at: s.authenticatedAt,
    identity: { id: s.identityId, schema_id: 'default', state: 'active', traits: k.identities.get(s.identityId)!.traits },
    devices: [s.device],
  });

  const loopback = await listenOnLoopback((req, res) => {
    const url = new URL(req.url ?? '/', k.origin);
    const path = url.pathname;
    if (path === '/__test/sign-in') {
      const h = (name: string) => String(req.headers[name] ?? '');
      const location = [h('cf-ipcity'), h('cf-ipcountry')].filter(Boolean).join(', ');
      const s = newSession(ALICE, h('user-agent'), h('x-forwarded-for') || '127.0.0.1', location);
      res.writeHead(200, { 'set-cookie': `ory_kratos_session=${s.token}; Path=/; HttpOnly; SameSite=Lax` });
      res.end('signed in');
      return;
    }
    const me = fromCookie(req);
    // selfservice/flow/logout/handler.go: the browser logout flow, answered as JSON to a JSON request.
    if (path === '/self-service/logout/browser' && req.method === 'GET') {
      if (!me) return noSession(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ logout_url: `${k.origin}/self-service/logout?token=${me.logoutToken}`, logout_token: me.logoutToken }));
      return;
    }
    if (path === '/self-service/logout' && req.method === 'GET') {
      const token = url.searchParams.get('token');
      if (!token) return herodot(res, 400, 'Bad Request', 'Please include a token in the URL query.', 'The request was malformed or contained invalid parameters');
      if (!me) return noSession(res);
      if (token !== me.logoutToken) return herodot(res, 403, 'Forbidden', 'Unable to log out because the logout token in the URL query does not match the session cookie.', 'The requested action was forbidden');
      me.active = false;
      const cleared = 'ory_kratos_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax';
      if ((req.headers.accept ?? '').includes('application/json')) {
        res.writeHead(204, { 'set-cookie': cleared }).end();
      } else {
        res.writeHead(303, { 'set-cookie': cleared, location: '/' }).end();
      }
      return;
    }
    if (!path.startsWith('/sessions')) return herodot(res, 404, 'Not Found', '', 'The requested resource could not be found');
    if (!me) return noSession(res);
    if (k.requireAal2 && me.aal !== 'aal2' && req.method === 'GET') {
      return herodot(res, 403, 'Forbidden', 'Session does not fulfill the requirements of this endpoint.', 'The requested action was forbidden', 'session_aal2_required');
    }
    if (path === '/sessions/whoami') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-kratos-authenticated-identity-id': me.identityId });
      res.end(JSON.stringify(json(me)));
      return;
    }
    if (path === '/sessions' && req.method === 'GET') {
      if (k.htmlList) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Sign in</title><form></form>');
        return;
      }
      const others = k.sessions.filter((s) => s.identityId === me.identityId && s.active && s.id !== me.id);
      const perPage = Number(url.searchParams.get('per_page')) || k.perPage;
      const page = Number(url.searchParams.get('page')) || 0;
      const slice = others.slice(page * perPage, (page + 1) * perPage);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-total-count': String(others.length) };
      if ((page + 1) * perPage < others.length) headers.link = `</sessions?page=${page + 1}&per_page=${perPage}>; rel="next"`;
      res.writeHead(200, headers);
      res.end(JSON.stringify(slice.map(json)));
      return;
    }
    if (path === '/sessions' && req.method === 'DELETE') {
      let count = 0;
      for (const s of k.sessions) if (s.identityId === me.identityId && s.active && s.id !== me.id) (s.active = false), count++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ count }));
      return;
    }
    const id = /^\/sessions\/([^/]+)$/.exec(path)?.[1];
    if (id && req.method === 'DELETE') {
      if (!/^[0-9a-f-]{36}$/.test(id)) return herodot(res, 400, 'Bad Request', '', 'The request was malformed or contained invalid parameters');
      if (id === me.id) return herodot(res, 400, 'Bad Request', '', 'cannot revoke current session');
      const s = k.sessions.find((x) => x.id === id && x.identityId === me.identityId);
      if (!s) return herodot(res, 404, 'Not Found', 'Unable to locate the resource', 'The requested resource could not be found');
      s.active = false;
      res.writeHead(204).end();
      return;
    }
    herodot(res, 405, 'Method Not Allowed', '', 'The request method is not supported');
  });
  k.origin = loopback.origin;
  k.close = loopback.close;
  return k;
}

// kratos: actions 'sign-in' {userAgent, ip, city, country} (this browser), 'sign-in-elsewhere'
// {user: 'alice'|'bob', userAgent, ip}, 'revoke-mine-elsewhere' (this browser's session revoked from
// another device: its cookie is refused), 'page-size' {n}, 'require-aal2', 'html-list'.

export interface KratosCaseServer extends CaseServer {
  native: KratosServer;
}

export async function startKratosCaseServer(): Promise<KratosCaseServer> {
  const k = await startKratos();
  const str = (args: Record<string, unknown>, name: string, fallback: string) => (typeof args[name] === 'string' ? (args[name] as string) : fallback);
  const mine = (browser: Parameters<CaseServer['liveSessions']>[0]) => {
    const token = browser.jar.get(`${k.origin}/`, 'ory_kratos_session');
    return k.sessions.find((s) => s.token === token);
  };
  return {
    native: k,
    origin: k.origin,
    instanceUrl: k.origin,
    async act(action, args, browser) {
      if (action === 'sign-in') {
        const headers: Record<string, string> = { 'user-agent': str(args, 'userAgent', 'node'), 'x-forwarded-for': str(args, 'ip', '127.0.0.1') };
        if (typeof args.city === 'string') headers['cf-ipcity'] = args.city;
        if (typeof args.country === 'string') headers['cf-ipcountry'] = args.country;
        const res = await browser.fetch(`${k.origin}/__test/sign-in`, { headers });
        if (!res.ok) throw new Error(`sign-in: HTTP ${res.status}`);
        await res.body?.cancel();
      } else if (action === 'sign-in-elsewhere') {
        k.signInElsewhere(str(args, 'user', 'alice') === 'bob' ? BOB : ALICE, str(args, 'userAgent', 'node'), str(args, 'ip', '192.0.2.1'));
      } else if (action === 'revoke-mine-elsewhere') {
        const s = mine(browser);
        if (s) s.active = false;
      } else if (action === 'page-size') {
        k.perPage = Number(args.n);
      } else if (action === 'require-aal2') {
        k.requireAal2 = true;
      } else if (action === 'html-list') {
        k.htmlList = true;
      } else {
        throw new Error(`server "kratos" has no action "${action}"`);
      }
    },
    async liveSessions(browser) {
      const live = k.sessions.filter((s) => s.identityId === ALICE && s.active);
      const current = mine(browser);
      return { ids: live.map((s) => s.id), current: current && current.active ? current.id : null };
    },
    secrets: (browser) => [...k.sessions.flatMap((s) => [s.token, s.logoutToken]), ...browser.jar.all().map((c) => c.value)].filter((s) => s.length >= 16),
    async reset() {
      k.reset();
    },
    close: () => k.close(),
  };
}
