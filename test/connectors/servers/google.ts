/**
 * A loopback stand-in for accounts.google.com, as far as Revoke talks to it, written from what
 * Chromium's sign-in code expects of it (chromium/chromium google_apis/gaia/gaia_urls.cc and
 * gaia_auth_util.cc @0449503c, ParseListAccountsData; gaia_auth_fetcher_unittest.cc's ListAccounts
 * answer) and from Google's documented cookies:
 *
 * - A signed-in browser holds SID, HSID, SSID, APISID, SAPISID and __Secure-1PSID/__Secure-3PSID
 *   (on Google: Domain=.google.com; here host-only, as cookies on an IP address must be). One
 *   login cookie set is one "multilogin" session holding every account signed in to the browser.
 * - GET /ListAccounts?...&json=standard: ["gaia.l.a.r", [[ "gaia.l.a", 1, name, email, photo,
 *   1, 1, 0, null, valid, gaia id, null, null, null, signed out, 1 ], ...]], primary first;
 *   ["gaia.l.a.r", []] without a valid login. Accounts signed out of one by one stay listed with
 *   [14] = 1 until the whole browser signs out.
 * - GET /Logout: ends the session, expires every login cookie (Max-Age=0) and redirects through
 *   accounts.youtube.com's Logout2 (another origin, which Revoke does not follow).
 *
 * Actions: 'sign-in' {emails} (this browser), 'mark-signed-out' {email}, 'refuse-logout' (Logout
 * answers 403), 'change-list-accounts' (ListAccounts answers the One Google Bar's HTML form, a
 * postMessage page, instead of JSON).
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { readCookie } from './rails-kit';
import type { CaseServer } from './case-server';
import { listenOnLoopback, type TlsFiles } from './loopback';

const LOGIN_COOKIES = ['SID', 'HSID', 'SSID', 'APISID', 'SAPISID', '__Secure-1PSID', '__Secure-3PSID'];

interface GaiaAccount { email: string; name: string; gaiaId: string; signedOut: boolean }
interface GaiaSession { accounts: GaiaAccount[] }

export interface GoogleStandIn extends CaseServer {
  /** How many browser sessions the stand-in holds (for end-to-end tests, which have no jar). */
  sessionCount(): number;
}

/**
 * `tls`: serve HTTPS (end-to-end tests map accounts.google.com here with Chromium's
 * --host-resolver-rules, so the extension's own request to https://accounts.google.com lands here).
 */
export async function startGoogleCaseServer(opts: { tls?: TlsFiles } = {}): Promise<GoogleStandIn> {
  const sessions = new Map<string, GaiaSession>();
  let refuseLogout = false;
  let changedList = false;
  let origin = '';

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    // Every login cookie must be present and agree: one missing means no valid login.
    const sid = readCookie(req, 'SID');
    const valid = sid !== undefined && LOGIN_COOKIES.every((name) => readCookie(req, name) === sid) ? sessions.get(sid) : undefined;

    if (url.pathname === '/__test/sign-in') {
      const id = randomBytes(24).toString('base64url');
      const emails = (url.searchParams.get('emails') ?? '').split(',').filter(Boolean);
      sessions.set(id, { accounts: emails.map((email, i) => ({ email, name: email.split('@')[0]!, gaiaId: `10000000000000000000${i + 1}`, signedOut: false })) });
      res.setHeader('set-cookie', LOGIN_COOKIES.map((name) => `${name}=${id}; Path=/; Max-Age=63072000${name.startsWith('__Secure-') || name === 'SSID' ? '; Secure' : ''}${name === 'HSID' || name === 'SSID' || name.startsWith('__Secure-') ? '; HttpOnly' : ''}`));
      return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
    if (url.pathname === '/ListAccounts' && req.method === 'GET') {
      if (url.searchParams.get('json') !== 'standard') return res.writeHead(400, { 'content-type': 'text/html' }).end('<html><body>400. That’s an error.</body></html>');
      const accounts = valid?.accounts ?? [];
      const list = ['gaia.l.a.r', accounts.map((a) => ['gaia.l.a', 1, a.name, a.email, 'https://lh3.googleusercontent.com/a/default-user=s48-c', 1, 1, 0, null, 1, a.gaiaId, null, null, null, a.signedOut ? 1 : 0, 1])];
      if (changedList) {
        const escaped = JSON.stringify(list).replace(/[^\w]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body><script>window.parent.postMessage('${escaped}', 'https:\\/\\/www.google.com');</script></body></html>`);
      }
      return res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(list));
    }
    if (url.pathname === '/Logout' && req.method === 'GET') {
      if (refuseLogout) return res.writeHead(403, { 'content-type': 'text/html' }).end('<html><body>403. That’s an error. Your client does not have permission.</body></html>');
      if (sid !== undefined) sessions.delete(sid);
      res.setHeader('set-cookie', LOGIN_COOKIES.map((name) => `${name}=EXPIRED; Path=/; Max-Age=0${name.startsWith('__Secure-') || name === 'SSID' ? '; Secure' : ''}`));
      return res.writeHead(302, { location: `https://accounts.youtube.com/accounts/Logout2?hl=en&service=accountsettings&continue=${encodeURIComponent(`${origin}/ServiceLogin`)}` }).end();
    }
    return res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404. That’s an error.</body></html>');
  };
  const loopback = await listenOnLoopback(handler, opts);
  origin = loopback.origin;

  return {
    origin,
    instanceUrl: origin,
    sessionCount: () => sessions.size,
    async act(action, args, browser) {
      if (action === 'sign-in') {
        const emails = Array.isArray(args.emails) ? (args.emails as string[]) : ['alice@gmail.com'];
        const res = await browser.fetch(`${origin}/__test/sign-in?emails=${encodeURIComponent(emails.join(','))}`, {});
        if (!res.ok) throw new Error(`sign-in: HTTP ${res.status}`);
        await res.body?.cancel();
      } else if (action === 'mark-signed-out') {
        for (const s of sessions.values()) for (const a of s.accounts) if (a.email === args.email) a.signedOut = true;
      } else if (action === 'refuse-logout') {
        refuseLogout = true;
      } else if (action === 'change-list-accounts') {
        changedList = true;
      } else {
        throw new Error(`server "google" has no action "${action}"`);
      }
    },
    async liveSessions(browser) {
      const sid = browser.jar.get(`${origin}/`, 'SID');
      return { ids: [...sessions.keys()], current: sid !== undefined && sessions.has(sid) ? sid : null };
    },
    secrets: (browser) => [...sessions.keys(), ...browser.jar.all().map((c) => c.value)].filter((s) => s.length >= 16),
    async reset() {
      sessions.clear();
      refuseLogout = false;
      changedList = false;
    },
    close: loopback.close,
  };
}
