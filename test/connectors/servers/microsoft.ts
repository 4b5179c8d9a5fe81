/**
 * Loopback stand-ins for Microsoft's two sign-in origins, as far as Revoke talks to them (sources
 * named in src/connectors/microsoft.ts):
 *
 * - 'work' (login.microsoftonline.com, Microsoft Entra ID): a signed-in browser holds ESTSAUTH (a
 *   session cookie), ESTSAUTHPERSISTENT (when "stay signed in") and ESTSAUTHLIGHT, each Secure,
 *   HttpOnly but the last, SameSite=None. GET /common/oauth2/v2.0/logout ends the session and, with
 *   no post_logout_redirect_uri, answers 200 with the "You signed out of your account" page while
 *   expiring the three cookies.
 * - 'personal' (login.live.com, Microsoft account): __Host-MSAAUTH, MSPAuth and WLSSC (on
 *   Microsoft: MSPAuth with Domain=.live.com; here host-only, as cookies on an IP address must be).
 *   GET /logout.srf ends the session, expires them and redirects to account.microsoft.com.
 *
 * Actions: 'sign-in' (this browser), 'fail-sign-out' (the sign-out answers 500, Entra's "we're
 * having trouble signing you out" page, and ends nothing), 'move-sign-out' (the address is 404).
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { readCookie } from './rails-kit';
import type { CaseServer } from './case-server';
import { listenOnLoopback, type TlsFiles } from './loopback';

interface Flavour {
  signOutPath: string;
  /** Cookie name -> its attributes when set. The first names the session. */
  cookies: Record<string, string>;
  signedOut(res: http.ServerResponse, origin: string): void;
}

const FLAVOURS: Record<'work' | 'personal', Flavour> = {
  work: {
    signOutPath: '/common/oauth2/v2.0/logout',
    cookies: {
      ESTSAUTH: 'Path=/; Secure; HttpOnly; SameSite=None',
      ESTSAUTHPERSISTENT: 'Path=/; Max-Age=7776000; Secure; HttpOnly; SameSite=None',
      ESTSAUTHLIGHT: 'Path=/; Secure; SameSite=None',
    },
    signedOut: (res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!DOCTYPE html><html><head><title>Sign out</title></head><body><div id="login_workload_logo_text">You signed out of your account</div><div>It\'s a good idea to close all browser windows.</div></body></html>'),
  },
  personal: {
    signOutPath: '/logout.srf',
    cookies: {
      '__Host-MSAAUTH': 'Path=/; Max-Age=7776000; Secure; HttpOnly; SameSite=None',
      MSPAuth: 'Path=/; Secure; HttpOnly; SameSite=None',
      WLSSC: 'Path=/; Secure; HttpOnly; SameSite=None',
    },
    signedOut: (res) => res.writeHead(302, { location: 'https://account.microsoft.com/?refd=login.live.com' }).end(),
  },
};

export interface MicrosoftStandIn extends CaseServer {
  /** How many browser sessions the stand-in holds (for end-to-end tests, which have no jar). */
  sessionCount(): number;
}

/** `tls`: serve HTTPS, for end-to-end tests that map Microsoft's origin here (see google.ts). */
export async function startMicrosoftCaseServer(kind: 'work' | 'personal', opts: { tls?: TlsFiles } = {}): Promise<MicrosoftStandIn> {
  const flavour = FLAVOURS[kind];
  const names = Object.keys(flavour.cookies);
  const sessions = new Set<string>();
  let failSignOut = false;
  let moved = false;
  let origin = '';

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/__test/sign-in') {
      const id = randomBytes(24).toString('base64url');
      sessions.add(id);
      res.setHeader('set-cookie', names.map((name) => `${name}=${id}; ${flavour.cookies[name]}`));
      return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
    if (url.pathname === flavour.signOutPath && req.method === 'GET' && !moved) {
      if (failSignOut) {
        return res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Sorry, but we’re having trouble signing you out. AADSTS90015</body></html>');
      }
      for (const name of names) {
        const id = readCookie(req, name);
        if (id !== undefined) sessions.delete(id);
      }
      res.setHeader('set-cookie', names.map((name) => `${name}=; Path=/; Max-Age=0; Secure`));
      return flavour.signedOut(res, origin);
    }
    return res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>We couldn’t find that page.</body></html>');
  };
  const loopback = await listenOnLoopback(handler, opts);
  origin = loopback.origin;

  return {
    origin,
    instanceUrl: origin,
    sessionCount: () => sessions.size,
    async act(action, _args, browser) {
      if (action === 'sign-in') {
        const res = await browser.fetch(`${origin}/__test/sign-in`, {});
        if (!res.ok) throw new Error(`sign-in: HTTP ${res.status}`);
        await res.body?.cancel();
      } else if (action === 'fail-sign-out') {
        failSignOut = true;
      } else if (action === 'move-sign-out') {
        moved = true;
      } else {
        throw new Error(`server "microsoft-${kind}" has no action "${action}"`);
      }
    },
    async liveSessions(browser) {
      const mine = browser.jar.get(`${origin}/`, names[0]!);
      return { ids: [...sessions], current: mine !== undefined && sessions.has(mine) ? mine : null };
    },
    secrets: (browser) => [...sessions, ...browser.jar.all().map((c) => c.value)].filter((s) => s.length >= 16),
    async reset() {
      sessions.clear();
      failSignOut = false;
      moved = false;
    },
    close: loopback.close,
  };
}
