/**
 * The connector cases' WordPress: the real one (test/servers/wordpress), with a small proxy in
 * front at the site's address so that a case can change what WordPress's pages say without
 * changing WordPress: 'spoil-nonces' (the profile page hands out wrong nonces, which WordPress
 * itself then refuses), 'drop-sessions-row' (the profile page without its "Sessions" row),
 * 'not-wordpress' (the profile page is some other page). Every other byte passes through.
 *
 * Actions: 'sign-in' (this browser, through wp-login.php), 'sign-in-elsewhere' (another cookie
 * jar), 'add-app-password' {name, use} (created as the profile page does; `use`: then used once
 * over REST with Basic auth, so WordPress records when and from where). User alice.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { THIS_BROWSER } from '../../../src/connectors/common';
import { CookieJar, jarFetch } from '../cookie-jar';
import { sessionHashOfCookie, signInWordPress, startWordPress, type WordPressSite } from '../../servers/wordpress/wordpress';
import type { CaseServer } from './case-server';

/** The site's address (the proxy) and where WordPress's PHP listens behind it. */
export const WORDPRESS_CASE_PORTS = { site: 8791, php: 8891 };

type Mode = 'pass' | 'spoil-nonces' | 'drop-sessions-row' | 'not-wordpress';

function rewrite(html: string, mode: Mode): string {
  if (mode === 'spoil-nonces') {
    const bad = '0badc0ffee';
    return html
      .replace(/(id="_wpnonce" name="_wpnonce" value=")[0-9a-f]{10}"/g, `$1${bad}"`)
      .replace(/(_wpnonce=)[0-9a-f]{10}/g, `$1${bad}`)
      .replace(/("nonce":")[0-9a-f]{10}"/g, `$1${bad}"`);
  }
  if (mode === 'drop-sessions-row') return html.replace(/<tr class="user-sessions-wrap[\s\S]*?<\/tr>/g, '');
  if (mode === 'not-wordpress') return '<!doctype html><html><head><title>Welcome</title></head><body><h1>Our new site</h1></body></html>';
  return html;
}

function startProxy(port: number, target: number, mode: () => Mode): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (up) => {
      const isProfile = (req.url ?? '').startsWith('/wp-admin/profile.php') && up.statusCode === 200;
      if (!isProfile || mode() === 'pass') {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = rewrite(Buffer.concat(chunks).toString('utf8'), mode());
        const headers = { ...up.headers, 'content-length': String(Buffer.byteLength(body)) };
        delete headers['transfer-encoding'];
        res.writeHead(200, headers).end(body);
      });
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export interface WordPressCaseServer extends CaseServer {
  site: WordPressSite;
}

export async function startWordPressCaseServer(ports = WORDPRESS_CASE_PORTS): Promise<WordPressCaseServer> {
  let mode: Mode = 'pass';
  const proxy = await startProxy(ports.site, ports.php, () => mode);
  const site = await startWordPress((proxy.address() as AddressInfo).port, ports.php).catch(async (e: unknown) => {
    proxy.close();
    throw e;
  });
  const issued: string[] = [];
  const currentHash = (jar: CookieJar) => sessionHashOfCookie(jar.get(`${site.base}/wp-admin/`, site.loggedInCookie));
  // This browser's token, as of its sign-in: still named so after a sign-out cleared its cookies.
  let mine: string | undefined;
  return {
    site,
    origin: site.base,
    instanceUrl: site.base,
    async act(action, args, browser) {
      if (action === 'sign-in') {
        await signInWordPress(site, browser.fetch);
        mine = currentHash(browser.jar);
      }
      else if (action === 'sign-in-elsewhere') await signInWordPress(site, jarFetch(new CookieJar()));
      else if (action === 'add-app-password') {
        const { uuid, password } = await site.createAppPassword(String(args.name ?? 'app'));
        issued.push(password);
        if (args.use === true) {
          const res = await fetch(`${site.base}/index.php?rest_route=/wp/v2/users/me`, { headers: { authorization: `Basic ${btoa(`${site.user}:${password}`)}` } });
          if (res.status !== 200) throw new Error(`using application password ${uuid}: HTTP ${res.status}`);
          await res.text();
        }
      } else if (action === 'spoil-nonces' || action === 'drop-sessions-row' || action === 'not-wordpress') mode = action;
      else throw new Error(`server "wordpress" has no action "${action}"`);
    },
    async liveSessions(browser) {
      // This browser's token is named as the connector names it; the others by their hash.
      const logins = (await site.sessionHashes()).map((h) => (h === mine ? THIS_BROWSER : `login:${h}`));
      return { ids: [...logins, ...(await site.appPasswordUuids())], current: logins.includes(THIS_BROWSER) ? THIS_BROWSER : null };
    },
    secrets: (browser) => [...issued, ...browser.jar.all().map((c) => decodeURIComponent(c.value))].filter((s) => s.length >= 16),
    async reset() {
      mode = 'pass';
      mine = undefined;
      issued.length = 0;
      await site.clearSessions();
    },
    async close() {
      await new Promise((resolve) => proxy.close(resolve));
      await site.stop();
    },
  };
}
