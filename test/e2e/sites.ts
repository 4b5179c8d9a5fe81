/**
 * A plain cookie-login site for end-to-end tests, bound to a chosen loopback
 * host (127.0.0.2, 127.0.0.3, …): cookies are per host, not per port, so
 * distinct hosts stand for distinct sites. /logout can be made slow.
 */
import { randomBytes } from 'node:crypto';
import { listenOnLoopback } from '../connectors/servers/loopback';

export interface TestSite {
  origin: string;
  /** Live server-side sessions: sid -> user. */
  sessions: Map<string, string>;
  logoutCalls: number;
  close(): Promise<void>;
}

/**
 * `host` is where the server listens and, unless `siteHost` is given, the host
 * the browser uses. `siteHost` such as "app7.localhost" (which Chromium
 * resolves to loopback) gives each site its own cookie jar on 127.0.0.1.
 */
export async function startSite(
  host: string,
  { logoutDelayMs = 0, responseDelayMs = 0, cookie = 'sid', siteHost = host, clockOffsetMs = 0 } = {},
): Promise<TestSite> {
  const cookieRe = new RegExp(`(?:^|;\\s*)${cookie}=([^;]+)`);
  const sessions = new Map<string, string>();
  const site: TestSite = { origin: '', sessions, logoutCalls: 0, close: async () => undefined };
  const loopback = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', site.origin);
    const sid = cookieRe.exec(req.headers.cookie ?? '')?.[1];
    if (responseDelayMs) await new Promise((r) => setTimeout(r, responseDelayMs));
    // A server whose clock differs from ours (for the authenticator's clock check).
    if (clockOffsetMs) res.setHeader('date', new Date(Date.now() + clockOffsetMs).toUTCString());
    if (url.pathname === '/login') {
      const id = randomBytes(16).toString('hex');
      sessions.set(id, url.searchParams.get('user') ?? 'someone');
      res.setHeader('set-cookie', `${cookie}=${id}; Path=/; HttpOnly; SameSite=Lax`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Signed in to ${host}</h1>`);
    } else if (url.pathname === '/logout') {
      site.logoutCalls++;
      await new Promise((r) => setTimeout(r, logoutDelayMs));
      // A client that went away (a stopped service worker) never saw the logout complete:
      // model that strictly, so only a repeated request can end the session.
      if (req.socket.destroyed) return;
      if (sid) sessions.delete(sid);
      res.setHeader('set-cookie', `${cookie}=; Path=/; HttpOnly; Max-Age=0`);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Signed out</h1>');
    } else {
      // Signed in, its pages offer a sign-out (as real sites do): where Revoke's proof looks.
      const signedIn = sid !== undefined && sessions.has(sid);
      res.writeHead(200, { 'content-type': 'text/html' }).end(signedIn ? '<p>signed in <a href="/logout">Log out</a></p>' : '<p>signed out <a href="/login">Log in</a></p>');
    }
  }, { host, siteHost });
  site.origin = loopback.origin;
  site.close = loopback.close;
  return site;
}
