/**
 * The loopback servers connector cases run against, by the name a case gives in `server`. Each
 * adapter knows its server's truth (database, session map), so the harness can check that a
 * revoke really ended sessions, and which strings are secrets that must never reach the UI.
 */
import type { RawFetch } from '../../../src/connectors/context';
import { startBetterAuth, type BetterAuthTestServer } from '../../servers/better-auth/server.mjs';
import type { CookieJar } from '../cookie-jar';
import { startDiscourseForum, type DiscourseForum } from './discourse';
import { startFrameworkSite, type Flavour, type FrameworkSite } from './framework-sites';
import { startGenericSite, type GenericSite } from './generic-site';
import { startGitLabCaseServer } from './gitlab';
import { startMastodonCaseServer } from './mastodon';
import { startMatrixHomeserver, type MatrixHomeserver } from './matrix';
import { startNextcloud, type NextcloudServer } from './nextcloud';
import { startOidcCaseServer } from './oidc';
import { startWordPressCaseServer } from './wordpress';

/** One test browser profile: its cookie jar and the fetch bound to it. */
export interface Browser {
  jar: CookieJar;
  fetch: RawFetch;
  /** The extension's in-memory token store (storage.session), by account id: Revoke's own sign-ins. */
  tokens: Map<string, string>;
}

/** What the server itself says is live: its session ids, and which one is this browser's. */
export interface ServerSessions {
  ids: string[];
  current: string | null;
}

export interface CaseServer {
  origin: string;
  /** What a person would type as the instance URL for a connector that asks for one. */
  instanceUrl: string;
  /** Runs a `{do: 'server'}` step (see each adapter for its actions). */
  act(action: string, args: Record<string, unknown>, browser: Browser): Promise<void>;
  liveSessions(browser: Browser): Promise<ServerSessions>;
  /** Strings that must never appear in anything a connector returns or reports. */
  secrets(browser: Browser): string[];
  /** The case user's sign-in, for connectors that sign Revoke in (`do: 'sign-in'`). */
  credentials?: { user: string; password: string };
  /** Forgets everything, for the next case. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export type ServerStarter = () => Promise<CaseServer>;

function stringArg(args: Record<string, unknown>, name: string, fallback?: string): string {
  const v = args[name] ?? fallback;
  if (typeof v !== 'string') throw new Error(`server step: "${name}" must be a string`);
  return v;
}

function unknownAction(server: string, action: string): never {
  throw new Error(`server "${server}" has no action "${action}"`);
}

// ---------------------------------------------------------------------------------------------
// better-auth: actions 'sign-in' {userAgent, ip} (this browser), 'sign-in-elsewhere' {userAgent, ip}
// (another device), 'make-sessions-stale' (older than freshAge). All as the case user below.

export const CASE_USER = { email: 'alice@revoke.test', password: 'alice-password-123' };
export const BETTER_AUTH_COOKIE = 'better-auth.session_token';

export interface BetterAuthCaseServer extends CaseServer {
  native: BetterAuthTestServer;
}

/** The session token inside better-auth's signed cookie value ("token.signature", URL-encoded). */
export function tokenFromCookie(value: string | undefined): string | undefined {
  return value === undefined ? undefined : decodeURIComponent(value).split('.')[0];
}

export async function startBetterAuthCaseServer(): Promise<BetterAuthCaseServer> {
  const native = await startBetterAuth();
  let userReady = false;
  const ensureUser = async () => {
    if (!userReady) await native.createUser(CASE_USER.email, CASE_USER.password, 'Alice');
    userReady = true;
  };
  return {
    native,
    origin: native.origin,
    instanceUrl: native.baseURL,
    async act(action, args, browser) {
      const userAgent = typeof args.userAgent === 'string' ? args.userAgent : 'node';
      const ip = typeof args.ip === 'string' ? args.ip : undefined;
      if (action === 'sign-in') {
        await ensureUser();
        // Through the browser's own jar, so its cookie carries the server's real attributes.
        const res = await browser.fetch(`${native.baseURL}/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: native.origin, 'user-agent': userAgent, ...(ip ? { 'x-forwarded-for': ip } : {}) },
          body: JSON.stringify(CASE_USER),
        });
        if (!res.ok) throw new Error(`sign-in: HTTP ${res.status} ${await res.text()}`);
        await res.body?.cancel();
      } else if (action === 'sign-in-elsewhere') {
        await ensureUser();
        await native.signIn(CASE_USER.email, CASE_USER.password, userAgent, ip);
      } else if (action === 'make-sessions-stale') {
        native.makeSessionsStale();
      } else {
        unknownAction('better-auth', action);
      }
    },
    async liveSessions(browser) {
      const rows = native.listSessionsDirect(CASE_USER.email);
      const token = tokenFromCookie(browser.jar.get(native.baseURL, BETTER_AUTH_COOKIE));
      return { ids: rows.map((r) => r.id), current: rows.find((r) => r.token === token)?.id ?? null };
    },
    secrets(browser) {
      const tokens = native.listSessionsDirect().map((r) => r.token);
      const cookies = browser.jar.all().map((c) => decodeURIComponent(c.value));
      return [...tokens, ...cookies].filter((s) => s.length >= 16);
    },
    async reset() {
      native.reset();
      userReady = false;
    },
    close: () => native.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// generic-site: actions 'sign-in' {user} (this browser), 'sign-in-elsewhere' {user}.

export interface GenericCaseServer extends CaseServer {
  native: GenericSite;
}

export async function startGenericCaseServer(): Promise<GenericCaseServer> {
  const native = await startGenericSite();
  return {
    native,
    origin: native.origin,
    instanceUrl: native.origin,
    async act(action, args, browser) {
      const user = stringArg(args, 'user', 'alice');
      if (action === 'sign-in') {
        const res = await browser.fetch(`${native.origin}/login?user=${encodeURIComponent(user)}`, {});
        if (!res.ok) throw new Error(`sign-in: HTTP ${res.status}`);
        await res.body?.cancel();
      } else if (action === 'sign-in-elsewhere') {
        await fetch(`${native.origin}/login?user=${encodeURIComponent(user)}`, { redirect: 'manual' });
      } else {
        unknownAction('generic-site', action);
      }
    },
    async liveSessions(browser) {
      const sid = browser.jar.get(`${native.origin}/`, 'sid');
      return { ids: [...native.sessions.keys()], current: sid && native.sessions.has(sid) ? sid : null };
    },
    secrets: () => [...native.sessions.keys()],
    async reset() {
      native.sessions.clear();
    },
    close: () => native.close(),
  };
}

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// matrix: actions 'sign-in-elsewhere' {user, displayName, ip} (a device Revoke did not make),
// 'expire-tokens' (every token refused with soft_logout), 'mode' {mode} (see MatrixHomeserver.mode).
// Revoke signs in itself (`do: 'sign-in'`) as alice. What is live is what the homeserver's own API
// accepts: every token it ever issued is tried on /account/whoami, so an ended device's token is
// proven refused, not just missing from a list.

export interface MatrixCaseServer extends CaseServer {
  native: MatrixHomeserver;
}

export async function startMatrixCaseServer(opts: { host?: string } = {}): Promise<MatrixCaseServer> {
  const hs = await startMatrixHomeserver(opts);
  const alice = () => hs.userId('alice');
  async function acceptedBy(token: string): Promise<{ user_id: string; device_id: string } | null> {
    const res = await fetch(`${hs.origin}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { user_id: string; device_id: string };
    return res.status === 200 ? body : null;
  }
  return {
    native: hs,
    origin: hs.origin,
    instanceUrl: hs.origin,
    credentials: { user: alice(), password: 'alice-matrix-password' },
    async act(action, args) {
      if (action === 'sign-in-elsewhere') {
        const ip = typeof args.ip === 'string' ? args.ip : undefined;
        hs.signInElsewhere(stringArg(args, 'user', 'alice'), { displayName: stringArg(args, 'displayName'), ...(ip ? { ip } : {}) });
      } else if (action === 'expire-tokens') {
        hs.expireTokens();
      } else if (action === 'mode') {
        hs.mode.add(stringArg(args, 'mode') as never);
      } else {
        unknownAction('matrix', action);
      }
    },
    async liveSessions(browser) {
      const ids = new Set<string>();
      for (const token of hs.issued) {
        const who = await acceptedBy(token);
        if (who?.user_id === alice()) ids.add(who.device_id);
      }
      const own = [...browser.tokens.values()][0];
      const current = own ? (await acceptedBy(own))?.device_id ?? null : null;
      return { ids: [...ids], current };
    },
    secrets: (browser) => [...hs.issued, ...browser.tokens.values(), ...[...hs.users.values()].map((u) => u.password)],
    async reset() {
      hs.reset();
    },
    close: () => hs.close(),
  };
}

export const SERVER_STARTERS: Record<string, ServerStarter> = {
  matrix: () => startMatrixCaseServer(),
  'better-auth': startBetterAuthCaseServer,
  'generic-site': startGenericCaseServer,
  'site-django': () => startFrameworkCaseServer('django'),
  'site-rails': () => startFrameworkCaseServer('rails'),
  'site-nonce': () => startFrameworkCaseServer('nonce'),
  'site-keeps': () => startFrameworkCaseServer('keeps'),
  'site-none': () => startFrameworkCaseServer('none'),
  'site-spa': () => startFrameworkCaseServer('spa'),
  discourse: () => startDiscourseCaseServer(),
  'discourse-subfolder': () => startDiscourseCaseServer({ basePath: '/forum' }),
  nextcloud: () => startNextcloudCaseServer(),
  mastodon: () => startMastodonCaseServer(),
  // A second instance on another loopback address: cookies are per host, not per port.
  'mastodon-b': () => startMastodonCaseServer({ host: '127.0.0.2' }),
  gitlab: () => startGitLabCaseServer(),
  // A real OpenID Connect provider (npm oidc-provider) with a relying party.
  'oidc-provider': () => startOidcCaseServer(),
  // A real WordPress (MariaDB + PHP): started only when a case names it.
  wordpress: () => startWordPressCaseServer(),
};

/** Starts each named server once, on first use, and closes them all at the end. */
export class ServerPool {
  private readonly started = new Map<string, Promise<CaseServer>>();

  constructor(private readonly starters: Record<string, ServerStarter> = SERVER_STARTERS) {}

  get(name: string): Promise<CaseServer> {
    let server = this.started.get(name);
    if (!server) {
      const start = this.starters[name];
      if (!start) throw new Error(`no test server named "${name}" (known: ${Object.keys(this.starters).join(', ')})`);
      server = start();
      this.started.set(name, server);
    }
    return server;
  }

  async closeAll(): Promise<void> {
    const all = [...this.started.values()];
    this.started.clear();
    await Promise.all(all.map(async (s) => (await s).close()));
  }
}
