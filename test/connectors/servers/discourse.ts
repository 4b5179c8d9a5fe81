/**
 * A loopback Discourse forum, reproducing the handshake Revoke's Discourse connector meets, as read
 * in discourse/discourse (see src/connectors/discourse.ts for files and commits):
 *
 *   - `_t` (HttpOnly): the auth cookie. Real ones are Rails-encrypted; here an opaque random value.
 *     It rotates when the token is older than ROTATE_TIME (10 min): same token id, new value, the
 *     row's user agent and IP overwritten by the rotating request; the previous value still works
 *     for a minute. Rotation happens after the response is built (refresh_session is an after_action).
 *   - `_forum_session`: the Rails session holding the CSRF secret. GET /session/csrf gives
 *     {csrf} (masked, new pad each time); unsafe requests need it in X-CSRF-Token, else
 *     403 text `["BAD CSRF"]` before anything else runs (protect_from_forgery comes first). A
 *     cross-site Origin is refused the same way (Rails' forgery origin check).
 *   - check_xhr: /session/csrf, /session/current and the revoke POST answer the HTML app shell
 *     with 200 unless the request is XHR (X-Requested-With) or asks for JSON (.json, Accept).
 *   - GET /session/current(.json): {current_user} or 404 with an empty body (plus
 *     Discourse-Logged-Out: 1 for a stale cookie).
 *   - GET /u/{username}.json: {user}, with user_auth_tokens only for the signed-in user himself.
 *   - POST /u/{username}/preferences/revoke-auth-token: requires login (403 not_logged_in), the
 *     user must be the signed-in one (403 invalid_access); with token_id, a token of another user
 *     or this request's own token is 400 invalid_parameters; without it, every token goes.
 *
 * Test-only: GET /__test/sign-in?user= signs this browser in (User-Agent and X-Forwarded-For as sent).
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { listenOnLoopback } from './loopback';
import { maskToken, readCookie, readForm, unmaskMatches } from './rails-kit';
import { stringArg, unknownAction, type CaseServer } from './case-server';

export const ROTATE_TIME_MS = 10 * 60_000;
const PREV_TOKEN_GRACE_MS = 60_000;

export interface ForumUser {
  id: number;
  username: string;
  name: string;
}

export interface AuthTokenRow {
  id: number;
  userId: number;
  authToken: string;
  prevAuthToken: string | null;
  userAgent: string;
  clientIp: string;
  createdAt: number;
  seenAt: number | null;
  rotatedAt: number;
}

export interface DiscourseForum {
  origin: string;
  /** '' or a subfolder like '/forum'. */
  basePath: string;
  users: ForumUser[];
  tokens: AuthTokenRow[];
  /** Live CSRF secrets by session id. */
  csrfSecrets: Map<string, Buffer>;
  /** Signs a user in from another device; returns the token row. */
  signIn(username: string, userAgent: string, ip: string): AuthTokenRow;
  /** The next CSRF token handed out will not verify. */
  spoilNextCsrf(): void;
  /** Serve the HTML shell for everything (as a proxy or a non-Discourse app at the address would). */
  shellOnly(on: boolean): void;
  /** Make every token due for rotation on its next request. */
  ageTokens(): void;
  reset(): void;
  close(): Promise<void>;
}

/** The users every forum has; "alice" is the case user. */
const USERS: ForumUser[] = [
  { id: 1, username: 'alice', name: 'Alice' },
  { id: 2, username: 'bob', name: 'Bob' },
];

// BrowserDetection + the user_auth_tokens.* labels of config/locales/server.en.yml.
function browserLabel(ua: string): string {
  if (/DiscourseHub/.test(ua)) return 'DiscourseHub app';
  if (/Edg\//.test(ua)) return 'Microsoft Edge';
  if (/OPR\/|Opera/.test(ua)) return 'Opera';
  if (/Firefox\//.test(ua)) return 'Firefox';
  if (/Chrome\/|CriOS\//.test(ua)) return 'Google Chrome';
  if (/Safari\//.test(ua)) return 'Safari';
  return 'unknown browser';
}
function deviceLabel(ua: string): string {
  if (/Android/.test(ua)) return 'Android Device';
  if (/CrOS/.test(ua)) return 'Chromebook';
  if (/iPad/.test(ua)) return 'iPad';
  if (/iPhone/.test(ua)) return 'iPhone';
  if (/Linux/.test(ua)) return 'Linux Computer';
  if (/Mac OS X/.test(ua)) return 'Mac';
  if (/Windows/.test(ua)) return 'Windows Computer';
  return 'unknown device';
}
function osLabel(ua: string): string {
  if (/Android/.test(ua)) return 'Android';
  if (/CrOS/.test(ua)) return 'Chrome OS';
  if (/iPhone|iPad|iPod/.test(ua)) return 'iOS';
  if (/Linux/.test(ua)) return 'Linux';
  if (/Mac OS X/.test(ua)) return 'macOS';
  if (/Windows/.test(ua)) return 'Windows';
  return 'unknown operating system';
}
/** DiscourseIpInfo with a tiny database; "unknown" (staff_action_logs.unknown) otherwise. */
const GEO: Record<string, string> = { '203.0.113.7': 'Lyon, Auvergne-Rhône-Alpes, France', '198.51.100.23': 'Osaka, Japan' };

// application.html.erb + _head.html.erb; data-discourse-setup is client_side_setup_data (base_url, base_uri, ...).
const SHELL = (title: string, baseUrl: string, basePath: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  '<meta name="generator" content="Discourse 3.5.0 - https://github.com/discourse/discourse">' +
  '<meta name="discourse_theme_id" content="2"><meta name="discourse_current_homepage" content="latest">' +
  `<meta id="data-discourse-setup" data-cdn="" data-base-url="${baseUrl}" data-base-uri="${basePath}" data-environment="production">` +
  '</head><body class="crawler"><noscript>This forum needs JavaScript.</noscript><section id="main"></section></body></html>';

export async function startDiscourseForum(opts: { host?: string; basePath?: string } = {}): Promise<DiscourseForum> {
  const host = opts.host ?? '127.0.0.1';
  const basePath = (opts.basePath ?? '').replace(/\/+$/, '');
  let tokens: AuthTokenRow[] = [];
  let nextTokenId = 1;
  const csrfSecrets = new Map<string, Buffer>();
  let spoilCsrf = false;
  let shellOnly = false;

  const newToken = () => randomBytes(32).toString('base64url');
  const userByName = (name: string) => USERS.find((u) => u.username === name.toLowerCase());

  function signIn(username: string, userAgent: string, ip: string): AuthTokenRow {
    const user = userByName(username);
    if (!user) throw new Error(`no forum user ${username}`);
    const now = Date.now();
    const row: AuthTokenRow = { id: nextTokenId++, userId: user.id, authToken: newToken(), prevAuthToken: null, userAgent, clientIp: ip, createdAt: now, seenAt: null, rotatedAt: now };
    tokens.push(row);
    return row;
  }

  /** UserAuthToken.lookup: the current value, or the previous one within a minute of rotation. */
  function lookup(cookie: string | undefined): AuthTokenRow | undefined {
    if (!cookie) return undefined;
    const now = Date.now();
    const row = tokens.find((t) => t.authToken === cookie || (t.prevAuthToken === cookie && now - t.rotatedAt < PREV_TOKEN_GRACE_MS));
    if (row) row.seenAt = now;
    return row;
  }

  const handler: http.RequestListener = (req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const ip = (req.headers['x-forwarded-for'] as string | undefined)?.split(',')[0]?.trim() || '127.0.0.1';
    const userAgent = req.headers['user-agent'] ?? '';
    const cookies: string[] = [];

    if (url.pathname === '/__test/sign-in') {
      const row = signIn(url.searchParams.get('user') ?? 'alice', userAgent, ip);
      res.writeHead(200, { 'set-cookie': `_t=${row.authToken}; path=/; HttpOnly; SameSite=Lax`, 'content-type': 'text/plain' }).end('signed in');
      return;
    }
    if (!url.pathname.startsWith(`${basePath}/`)) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    const path = url.pathname.slice(basePath.length);
    const send = (status: number, body: string, type: string, extra: Record<string, string> = {}) => {
      if (cookies.length) res.setHeader('set-cookie', cookies);
      res.writeHead(status, { 'content-type': type, ...extra }).end(body);
    };
    const json = (status: number, body: unknown) => send(status, JSON.stringify(body), 'application/json; charset=utf-8');
    const shell = () => send(200, SHELL('Revoke test forum', origin + basePath, basePath), 'text/html; charset=utf-8');

    if (shellOnly) return shell();

    // The Rails session, carrying the CSRF secret.
    let sessionId = readCookie(req, '_forum_session');
    if (!sessionId || !csrfSecrets.has(sessionId)) {
      sessionId = randomBytes(16).toString('hex');
      csrfSecrets.set(sessionId, randomBytes(32));
      cookies.push(`_forum_session=${sessionId}; path=/; HttpOnly; SameSite=Lax`);
    }
    const secret = csrfSecrets.get(sessionId)!;

    // protect_from_forgery: first of all before_actions, for every unsafe method.
    if (method !== 'GET' && method !== 'HEAD') {
      const given = req.headers['x-csrf-token'];
      const originOk = req.headers.origin === undefined || req.headers.origin === origin;
      if (!originOk || typeof given !== 'string' || !unmaskMatches(given, secret)) {
        csrfSecrets.delete(sessionId); // handle_unverified_request resets the session
        return send(403, '["BAD CSRF"]', 'text/plain; charset=utf-8');
      }
    }

    const cookieValue = readCookie(req, '_t');
    const token = lookup(cookieValue);
    const user = token ? USERS.find((u) => u.id === token.userId) : undefined;
    const wantsJson = path.endsWith('.json') || (req.headers.accept ?? '').includes('application/json');
    const xhr = req.headers['x-requested-with'] === 'XMLHttpRequest';
    const route = path.replace(/\.json$/, '');

    // refresh_session (after_action): rotate a token due for it, keeping its id.
    const rotateAfter = () => {
      if (!token || Date.now() - token.rotatedAt < ROTATE_TIME_MS) return;
      token.prevAuthToken = token.authToken;
      token.authToken = newToken();
      token.rotatedAt = Date.now();
      token.userAgent = userAgent;
      token.clientIp = ip;
      cookies.push(`_t=${token.authToken}; path=/; HttpOnly; SameSite=Lax`);
    };
    const errors = (status: number, type: string, message: string) => json(status, { errors: [message], error_type: type });

    if (method === 'GET' && route === '/session/csrf') {
      if (!wantsJson && !xhr) return shell();
      let csrf = maskToken(secret);
      if (spoilCsrf) {
        spoilCsrf = false;
        csrf = maskToken(randomBytes(32));
      }
      return json(200, { csrf });
    }
    if (method === 'GET' && route === '/session/current') {
      if (!wantsJson && !xhr) return shell();
      if (!user) {
        if (cookieValue) cookies.push('_t=; path=/; max-age=0');
        return send(404, '', 'text/plain', cookieValue ? { 'discourse-logged-out': '1' } : {});
      }
      rotateAfter();
      return json(200, { current_user: { id: user.id, username: user.username, name: user.name, can_create_topic: true } });
    }
    const profile = /^\/u\/([^/]+)$/.exec(route);
    if (method === 'GET' && profile) {
      const target = userByName(decodeURIComponent(profile[1]!));
      if (!wantsJson) return shell(); // users#show skips check_xhr: HTML unless JSON is asked for
      if (!target) return errors(404, 'not_found', 'The requested URL or resource could not be found.');
      const body: Record<string, unknown> = { id: target.id, username: target.username, name: target.name, can_edit: target === user };
      if (user && target === user) {
        body.user_auth_tokens = tokens
          .filter((t) => t.userId === user.id)
          .sort((a, b) => (b.seenAt ?? b.createdAt) - (a.seenAt ?? a.createdAt))
          .map((t) => ({
            id: t.id,
            client_ip: t.clientIp,
            location: GEO[t.clientIp] ?? 'unknown',
            browser: browserLabel(t.userAgent),
            device: deviceLabel(t.userAgent),
            os: osLabel(t.userAgent),
            icon: 'question',
            created_at: new Date(t.createdAt).toISOString(),
            seen_at: new Date(t.seenAt ?? t.createdAt).toISOString(),
            is_active: t === token,
          }));
      }
      rotateAfter();
      return json(200, { user_badges: [], user: body });
    }
    const revoke = /^\/u\/([^/]+)\/preferences\/revoke-auth-token$/.exec(route);
    if (method === 'POST' && revoke) {
      const form = await readForm(req);
      if (!user) return errors(403, 'not_logged_in', 'You need to be logged in to do that.');
      if (!wantsJson && !xhr) return shell();
      const target = userByName(decodeURIComponent(revoke[1]!));
      if (!target) return errors(404, 'not_found', 'The requested URL or resource could not be found.');
      if (target !== user) return errors(403, 'invalid_access', 'You are not permitted to view the requested resource.');
      const tokenId = form.get('token_id');
      if (tokenId) {
        const row = tokens.find((t) => String(t.id) === tokenId && t.userId === target.id);
        if (!row || row === token) return errors(400, 'invalid_parameters', 'You supplied invalid parameters to the request: token_id');
        tokens = tokens.filter((t) => t !== row);
      } else {
        tokens = tokens.filter((t) => t.userId !== target.id);
      }
      rotateAfter();
      return json(200, { success: 'OK' });
    }
    return shell();
  }

  const loopback = await listenOnLoopback(handler, { host });
  const origin = loopback.origin;
  return {
    origin,
    basePath,
    users: USERS,
    get tokens() {
      return tokens;
    },
    csrfSecrets,
    signIn,
    spoilNextCsrf: () => {
      spoilCsrf = true;
    },
    shellOnly: (on) => {
      shellOnly = on;
    },
    ageTokens: () => {
      for (const t of tokens) t.rotatedAt -= ROTATE_TIME_MS + 1;
    },
    reset: () => {
      tokens = [];
      csrfSecrets.clear();
      spoilCsrf = false;
      shellOnly = false;
    },
    close: loopback.close,
  };
}

// discourse: actions 'sign-in' {user, userAgent, ip} (this browser), 'sign-in-elsewhere' {user,
// userAgent, ip} (another device), 'spoil-next-csrf' (the next CSRF token handed out is wrong),
// 'html-shell-only' (every answer is the HTML app shell), 'age-tokens' (every token rotates on its
// next request). The case user is "alice"; "bob" is another member of the same forum.

export interface DiscourseCaseServer extends CaseServer {
  native: DiscourseForum;
}

export async function startDiscourseCaseServer(opts: { host?: string; basePath?: string } = {}): Promise<DiscourseCaseServer> {
  const native = await startDiscourseForum(opts);
  const caseUser = native.users.find((u) => u.username === 'alice')!;
  return {
    native,
    origin: native.origin,
    instanceUrl: `${native.origin}${native.basePath}`,
    async act(action, args, browser) {
      const user = stringArg(args, 'user', 'alice');
      const userAgent = stringArg(args, 'userAgent', 'node');
      const ip = stringArg(args, 'ip', '127.0.0.1');
      if (action === 'sign-in') {
        const res = await browser.fetch(`${native.origin}/__test/sign-in?user=${encodeURIComponent(user)}`, { headers: { 'user-agent': userAgent, 'x-forwarded-for': ip } });
        if (!res.ok) throw new Error(`sign-in: HTTP ${res.status}`);
        await res.body?.cancel();
      } else if (action === 'sign-in-elsewhere') {
        native.signIn(user, userAgent, ip);
      } else if (action === 'spoil-next-csrf') {
        native.spoilNextCsrf();
      } else if (action === 'html-shell-only') {
        native.shellOnly(true);
      } else if (action === 'age-tokens') {
        native.ageTokens();
      } else {
        unknownAction('discourse', action);
      }
    },
    async liveSessions(browser) {
      const rows = native.tokens.filter((t) => t.userId === caseUser.id);
      const cookie = browser.jar.get(`${native.origin}/`, '_t');
      const current = rows.find((t) => t.authToken === cookie);
      return { ids: rows.map((t) => String(t.id)), current: current ? String(current.id) : null };
    },
    secrets(browser) {
      const tokens = native.tokens.flatMap((t) => [t.authToken, t.prevAuthToken ?? '']);
      const csrf = [...native.csrfSecrets.values()].map((b) => b.toString('base64'));
      const cookies = browser.jar.all().map((c) => decodeURIComponent(c.value));
      return [...tokens, ...csrf, ...cookies].filter((s) => s.length >= 16);
    },
    async reset() {
      native.reset();
    },
    close: () => native.close(),
  };
}
