/**
 * The connector harness's adapter for the real better-auth server (test/servers/better-auth, npm
 * better-auth on loopback): the case user, signing in through the browser's jar, and the
 * server's own session table as the truth.
 */
import { startBetterAuth, type BetterAuthTestServer } from '../../servers/better-auth/server.mjs';
import { unknownAction, type CaseServer } from './case-server';

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
