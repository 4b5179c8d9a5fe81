/**
 * A loopback Keycloak realm, as far as the account console's handshake and its session API go,
 * written from keycloak/keycloak (files and commits named in src/connectors/keycloak.ts):
 *
 *   GET  /realms/{realm}/.well-known/openid-configuration   issuer, endpoints
 *   GET  /realms/{realm}/protocol/openid-connect/auth       AuthorizationEndpoint: client and
 *        redirect_uri checked first (a bad one is Keycloak's 400 error page, never a redirect);
 *        then response_type, then PKCE (account-console is configured for S256: a missing or other
 *        method, or a malformed challenge, is an error redirect); then the KEYCLOAK_IDENTITY cookie
 *        (path /realms/{realm}/, HttpOnly): a live session gets a one-time code (60 s) redirected
 *        to redirect_uri with state, session_state, iss and code (query, or #fragment when asked);
 *        no session with prompt=none is error=login_required, without prompt the login page (200).
 *   POST /realms/{realm}/protocol/openid-connect/token      authorization_code grant: the code once,
 *        the same redirect_uri, the PKCE verifier (format, then S256 of it against the challenge),
 *        the session still live; errors are 400 {error: invalid_grant, error_description}; the
 *        access token lives 300 s.
 *   /realms/{realm}/account/...  AccountLoader: with Accept application/json the REST service,
 *        else the console's HTML. REST needs a bearer token of this realm whose session lives and
 *        that has not expired, else 401; SessionResource: GET sessions/devices (grouped by
 *        os + osVersion, times in seconds, `current` only when true), DELETE sessions?current=
 *        (others, or all), DELETE sessions/{id} (204 also for an unknown id); deletes need the
 *        manage-account role, else 403. GET account/ is the UserRepresentation.
 *
 * User agents are read as Keycloak's DeviceActivityManager does with ua-parser, for the agents the
 * cases use (families "Firefox", "Mobile Safari", "Chrome"; os "Linux", "iOS", "Windows").
 *
 * Test-only: GET /__test/sign-in signs this browser in (User-Agent and X-Forwarded-For as sent).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import type { CaseServer } from './case-server';

export const KEYCLOAK_REALM = 'acme';
const CONSOLE = 'account-console';
const ACCESS_TOKEN_SECONDS = 300;
const CODE_SECONDS = 60;

export interface KeycloakUserSession {
  id: string;
  user: string;
  /** The KEYCLOAK_IDENTITY cookie of the browser that holds it (elsewhere: never shown). */
  identity: string;
  ip: string;
  userAgent: string;
  /** Unix seconds. */
  started: number;
  lastAccess: number;
  /** Client ids with a client session in it. */
  clients: Set<string>;
}

interface Code {
  sessionId: string;
  challenge: string;
  redirectUri: string;
  expires: number;
}

interface AccessToken {
  sessionId: string;
  expires: number;
}

export interface KeycloakServer {
  origin: string;
  issuer: string;
  sessions: Map<string, KeycloakUserSession>;
  users: Map<string, { id: string; email: string; firstName: string; lastName: string; manageAccount: boolean }>;
  /** Every code and access token handed out: secrets. */
  issued: string[];

  /** The next access token is already expired when it arrives (a slow clock, a long queue). */
  expireNextToken: boolean;
  /** Every bearer token is refused (401), as for a realm whose tokens lack the account audience. */
  refuseTokens: boolean;
  /** prompt=none is not honoured: the login page is shown instead (a changed or proxied Keycloak). */
  ignorePromptNone: boolean;
  /** The devices answer is the account console's HTML (something in front drops the Accept header). */
  consoleOnly: boolean;
  signInElsewhere(user: string, userAgent: string, ip: string, clients?: string[]): KeycloakUserSession;
  reset(): void;
  close(): Promise<void>;
}

const now = () => Math.floor(Date.now() / 1000);
const b64url = (b: Buffer) => b.toString('base64url');

/** DeviceActivityManager's DeviceRepresentation fields, through ua-parser's family names. */
function device(ua: string): { os: string; osVersion: string; browser: string; device: string; mobile: boolean } {
  const version = (re: RegExp) => re.exec(ua)?.[1];
  if (/iPhone/.test(ua)) {
    return { os: 'iOS', osVersion: (version(/OS (\d+_\d+)/) ?? 'Unknown').replace('_', '.'), browser: `Mobile Safari/${version(/Version\/(\d+\.\d+)/) ?? 'Unknown'}`, device: 'iPhone', mobile: true };
  }
  const browser = /Firefox\/(\d+\.\d+)/.test(ua) ? `Firefox/${version(/Firefox\/(\d+\.\d+)/)}` : /Chrome\/(\d+\.\d+)/.test(ua) ? `Chrome/${version(/Chrome\/(\d+\.\d+)/)}` : 'Other';
  if (/Windows NT 10/.test(ua)) return { os: 'Windows', osVersion: '10', browser, device: 'Other', mobile: false };
  if (/Linux/.test(ua)) return { os: 'Linux', osVersion: 'Unknown', browser, device: 'Other', mobile: false };
  return { os: 'Other', osVersion: 'Unknown', browser, device: 'Other', mobile: false };
}

function cookies(req: http.IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

/** `siteHost`: the host name of its origin (a *.localhost name gives it its own cookie site in Chromium). */
export async function startKeycloak(opts: { siteHost?: string } = {}): Promise<KeycloakServer> {
  const codes = new Map<string, Code>();
  const tokens = new Map<string, AccessToken>();
  const kc: KeycloakServer = {
    origin: '',
    issuer: '',
    sessions: new Map(),
    users: new Map([['alice', { id: randomUUID(), email: 'alice@acme.test', firstName: 'Alice', lastName: 'Liddell', manageAccount: true }]]),
    issued: [],
    expireNextToken: false,
    refuseTokens: false,
    ignorePromptNone: false,
    consoleOnly: false,
    signInElsewhere: (user, userAgent, ip, clients = ['account-console']) => newSession(user, userAgent, ip, clients),
    reset() {
      kc.sessions.clear();
      codes.clear();
      tokens.clear();
      kc.issued.length = 0;
      kc.expireNextToken = kc.refuseTokens = kc.ignorePromptNone = kc.consoleOnly = false;
      for (const u of kc.users.values()) u.manageAccount = true;
    },
    close: async () => undefined,
  };

  function newSession(user: string, userAgent: string, ip: string, clients: string[]): KeycloakUserSession {
    const t = now();
    const s: KeycloakUserSession = { id: randomUUID(), user, identity: b64url(randomBytes(32)), ip, userAgent, started: t, lastAccess: t, clients: new Set(clients) };
    kc.sessions.set(s.id, s);
    return s;
  }

  const realmPath = `/realms/${KEYCLOAK_REALM}`;
  const consoleUrl = () => `${kc.origin}${realmPath}/account/`;
  // account-console's redirect URIs: "/realms/{realm}/account/*" (relative to the root URL).
  const validRedirect = (uri: string) => uri.startsWith(consoleUrl()) && !uri.includes('#');

  function sessionOfCookie(req: http.IncomingMessage): KeycloakUserSession | undefined {
    const identity = cookies(req).get('KEYCLOAK_IDENTITY');
    return identity ? [...kc.sessions.values()].find((s) => s.identity === identity) : undefined;
  }

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(text);
  }

  const errorPage = (message: string) => `<!doctype html><html><head><title>Sign in to acme</title></head><body><div id="kc-error-message"><p class="instruction">${message}</p></div></body></html>`;
  const loginPage = `<!doctype html><html><head><title>Sign in to acme</title></head><body><form id="kc-form-login" method="post" action="${realmPath}/login-actions/authenticate"><input name="username"><input name="password" type="password"></form></body></html>`;
  const consolePage = `<!doctype html><html><head><title>Account Management</title></head><body><div id="app"></div><script type="module" src="/resources/account/main.js"></script></body></html>`;

  function authorize(req: http.IncomingMessage, res: http.ServerResponse, q: URLSearchParams) {
    // AuthorizationEndpoint.process: the client and its redirect URI first, on Keycloak's own page.
    if (q.get('client_id') !== CONSOLE) return send(res, 400, errorPage('Client not found.'));
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!validRedirect(redirectUri)) return send(res, 400, errorPage('Invalid parameter: redirect_uri'));
    const mode = q.get('response_mode') ?? 'query';
    const back = (params: Record<string, string>) => {
      const state = q.get('state');
      const all = new URLSearchParams({ ...(state ? { state } : {}), ...params, iss: kc.issuer });
      res.writeHead(302, { location: `${redirectUri}${mode === 'fragment' ? '#' : redirectUri.includes('?') ? '&' : '?'}${all}` });
      res.end();
    };
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    if (mode !== 'query' && mode !== 'fragment') return back({ error: 'invalid_request', error_description: 'Invalid parameter: response_mode' });
    // checkPKCEParams with the client's pkce.code.challenge.method = S256.
    const method = q.get('code_challenge_method');
    const challenge = q.get('code_challenge');
    if (!method) return back({ error: 'invalid_request', error_description: 'Missing parameter: code_challenge_method' });
    if (method !== 'S256') return back({ error: 'invalid_request', error_description: 'Invalid parameter: code challenge method is not configured one' });
    if (!challenge) return back({ error: 'invalid_request', error_description: 'Missing parameter: code_challenge' });
    if (!/^[0-9a-zA-Z\-.~_]{43,128}$/.test(challenge)) return back({ error: 'invalid_request', error_description: 'Invalid parameter: code_challenge' });
    const session = sessionOfCookie(req);
    const prompt = q.get('prompt');
    if (!session) {
      if (prompt === 'none' && !kc.ignorePromptNone) return back({ error: 'login_required' });
      return send(res, 200, loginPage);
    }
    session.clients.add(CONSOLE);
    session.lastAccess = now();
    const code = `${randomUUID()}.${session.id}.${randomUUID()}`;
    codes.set(code, { sessionId: session.id, challenge, redirectUri, expires: now() + CODE_SECONDS });
    kc.issued.push(code);
    back({ session_state: session.id, code });
  }

  async function token(req: http.IncomingMessage, res: http.ServerResponse) {
    const form = await readForm(req);
    const grant = (description: string) => send(res, 400, { error: 'invalid_grant', error_description: description });
    if (form.get('client_id') !== CONSOLE) return send(res, 401, { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' });
    if (form.get('grant_type') !== 'authorization_code') return send(res, 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
    const codeParam = form.get('code') ?? '';
    const code = codes.get(codeParam);
    // One use: a code is gone once presented, whatever follows.
    codes.delete(codeParam);
    if (!code || code.expires < now()) return grant('Code not valid');
    if (form.get('redirect_uri') !== code.redirectUri) return grant('Incorrect redirect_uri');
    const verifier = form.get('code_verifier');
    if (!verifier) return grant('PKCE code verifier not specified');
    if (!/^[0-9a-zA-Z\-.~_]{43,128}$/.test(verifier)) return grant('PKCE verification failed: Invalid code verifier');
    if (b64url(createHash('sha256').update(verifier, 'ascii').digest()) !== code.challenge) return grant('PKCE verification failed: Code mismatch');
    if (!kc.sessions.has(code.sessionId)) return grant('Session not active');
    const access = `eyJ${b64url(randomBytes(48))}`;
    const expired = kc.expireNextToken;
    kc.expireNextToken = false;
    tokens.set(access, { sessionId: code.sessionId, expires: now() + (expired ? -1 : ACCESS_TOKEN_SECONDS) });
    kc.issued.push(access);
    send(res, 200, { access_token: access, expires_in: ACCESS_TOKEN_SECONDS, refresh_expires_in: 1800, token_type: 'Bearer', 'not-before-policy': 0, session_state: code.sessionId, scope: 'openid profile email' });
  }

  /** AccountLoader + AccountRestService: the bearer's session, or a 401 already sent. */
  function bearer(req: http.IncomingMessage, res: http.ServerResponse): KeycloakUserSession | undefined {
    const value = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const t = value ? tokens.get(value) : undefined;
    const session = t && t.expires >= now() && !kc.refuseTokens ? kc.sessions.get(t.sessionId) : undefined;
    if (!session) {
      send(res, 401, { error: 'HTTP 401 Unauthorized' }, { 'www-authenticate': `Bearer realm="${KEYCLOAK_REALM}"` });
      return undefined;
    }
    session.lastAccess = now();
    return session;
  }

  function devices(me: KeycloakUserSession) {
    const groups = new Map<string, Record<string, unknown> & { sessions: unknown[] }>();
    for (const s of kc.sessions.values()) {
      if (s.user !== me.user) continue;
      const d = device(s.userAgent);
      let rep = groups.get(d.os + d.osVersion);
      if (!rep) {
        rep = { os: d.os, osVersion: d.osVersion, device: d.device, mobile: d.mobile, lastAccess: 0, sessions: [] };
        groups.set(d.os + d.osVersion, rep);
      }
      if (s.id === me.id) rep.current = true;
      if ((rep.lastAccess as number) < s.lastAccess) rep.lastAccess = s.lastAccess;
      rep.sessions.push({
        id: s.id,
        ipAddress: s.ip,
        started: s.started,
        lastAccess: s.lastAccess,
        expires: s.started + 36_000,
        browser: d.browser,
        ...(s.id === me.id ? { current: true } : {}),
        clients: [...s.clients].map((clientId) => ({ clientId, clientName: clientId === CONSOLE ? '${client_account-console}' : clientId })),
      });
    }
    return [...groups.values()];
  }

  function account(req: http.IncomingMessage, res: http.ServerResponse, path: string, url: URL) {
    const json = (req.headers.accept ?? '').includes('application/json') || req.headers['content-type'] === 'application/json';
    if (!json || (kc.consoleOnly && path !== '/')) return send(res, 200, consolePage);
    const me = bearer(req, res);
    if (!me) return;
    const user = kc.users.get(me.user)!;
    if (req.method === 'GET' && path === '/') {
      return send(res, 200, { id: user.id, username: me.user, email: user.email, firstName: user.firstName, lastName: user.lastName, emailVerified: true });
    }
    if (req.method === 'GET' && path === '/sessions/devices') return send(res, 200, devices(me));
    if (req.method === 'DELETE' && (path === '/sessions' || path.startsWith('/sessions/'))) {
      if (!user.manageAccount) return send(res, 403, { error: 'HTTP 403 Forbidden' });
      if (path === '/sessions') {
        const all = url.searchParams.get('current') === 'true';
        for (const s of [...kc.sessions.values()]) if (s.user === me.user && (all || s.id !== me.id)) kc.sessions.delete(s.id);
      } else {
        const s = kc.sessions.get(decodeURIComponent(path.slice('/sessions/'.length)));
        if (s && s.user === me.user) kc.sessions.delete(s.id);
      }
      res.writeHead(204).end();
      return;
    }
    send(res, 404, { error: 'HTTP 404 Not Found' });
  }

  const loopback = await listenOnLoopback(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', kc.origin);
      const path = url.pathname;
      if (path === '/__test/sign-in') {
        const s = newSession('alice', req.headers['user-agent'] ?? 'node', String(req.headers['x-forwarded-for'] ?? '127.0.0.1'), []);
        // AuthenticationManager.createLoginCookie: KEYCLOAK_IDENTITY on the realm's path, HttpOnly.
        return send(res, 200, 'signed in', { 'set-cookie': `KEYCLOAK_IDENTITY=${s.identity}; Path=${realmPath}/; HttpOnly` });
      }
      if (!path.startsWith(`${realmPath}/`)) return send(res, 404, { error: 'Realm does not exist' });
      const rest = path.slice(realmPath.length);
      if (rest === '/.well-known/openid-configuration') {
        return send(res, 200, { issuer: kc.issuer, authorization_endpoint: `${kc.issuer}/protocol/openid-connect/auth`, token_endpoint: `${kc.issuer}/protocol/openid-connect/token`, code_challenge_methods_supported: ['plain', 'S256'] });
      }
      if (rest === '/protocol/openid-connect/auth' && req.method === 'GET') return authorize(req, res, url.searchParams);
      if (rest === '/protocol/openid-connect/token' && req.method === 'POST') return await token(req, res);
      if (rest === '/account' || rest.startsWith('/account/')) return account(req, res, rest.slice('/account'.length) || '/', url);
      send(res, 404, { error: 'HTTP 404 Not Found' });
    } catch (e) {
      send(res, 500, { error: String(e) });
    }
  }, { siteHost: opts.siteHost });
  kc.origin = loopback.origin;
  kc.issuer = `${kc.origin}${realmPath}`;
  kc.close = loopback.close;
  return kc;
}

// keycloak: actions 'sign-in' {userAgent, ip} (this browser), 'sign-in-elsewhere' {userAgent, ip},
// 'expire-next-token', 'refuse-tokens', 'ignore-prompt-none', 'console-only', 'no-manage-account'.
// The case user is alice. The connector's ids are Keycloak's user session ids.

export interface KeycloakCaseServer extends CaseServer {
  native: KeycloakServer;
}

export async function startKeycloakCaseServer(): Promise<KeycloakCaseServer> {
  const kc = await startKeycloak();
  const str = (args: Record<string, unknown>, name: string, fallback: string) => (typeof args[name] === 'string' ? (args[name] as string) : fallback);
  return {
    native: kc,
    origin: kc.origin,
    instanceUrl: kc.issuer,
    async act(action, args, browser) {
      if (action === 'sign-in') {
        const res = await browser.fetch(`${kc.origin}/__test/sign-in`, { headers: { 'user-agent': str(args, 'userAgent', 'node'), 'x-forwarded-for': str(args, 'ip', '127.0.0.1') } });
        if (!res.ok) throw new Error(`sign-in: HTTP ${res.status}`);
        await res.body?.cancel();
      } else if (action === 'sign-in-elsewhere') {
        kc.signInElsewhere(str(args, 'user', 'alice'), str(args, 'userAgent', 'node'), str(args, 'ip', '192.0.2.1'), ['account-console', 'grafana']);
      } else if (action === 'expire-next-token') {
        kc.expireNextToken = true;
      } else if (action === 'refuse-tokens') {
        kc.refuseTokens = true;
      } else if (action === 'ignore-prompt-none') {
        kc.ignorePromptNone = true;
      } else if (action === 'console-only') {
        kc.consoleOnly = true;
      } else if (action === 'no-manage-account') {
        kc.users.get('alice')!.manageAccount = false;
      } else {
        throw new Error(`server "keycloak" has no action "${action}"`);
      }
    },
    async liveSessions(browser) {
      const identity = browser.jar.get(`${kc.issuer}/`, 'KEYCLOAK_IDENTITY');
      const mine = [...kc.sessions.values()].filter((s) => s.user === 'alice');
      return { ids: mine.map((s) => s.id), current: mine.find((s) => s.identity === identity)?.id ?? null };
    },
    secrets: (browser) => [...kc.issued, ...[...kc.sessions.values()].map((s) => s.identity), ...browser.jar.all().map((c) => c.value)].filter((s) => s.length >= 16),
    async reset() {
      kc.reset();
    },
    close: () => kc.close(),
  };
}
