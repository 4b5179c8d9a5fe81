/**
 * A cookie jar for Node's fetch that behaves like the browser profile the extension runs in, as
 * far as connector tests need: RFC 6265 Set-Cookie parsing (Expires, Max-Age, Domain, Path,
 * Secure, HttpOnly, SameSite, __Secure-/__Host- prefixes), host-only vs domain cookies, deletion
 * by expiry, and redirects followed with cookies stored at every hop. Also the LocalState port
 * (cookies API + browsingData), port-agnostic like real cookies. No public-suffix list.
 */
import type { RawFetch } from '../../src/connectors/context';
import type { ClearReport, KeptLogin, LocalState, SharedCookies } from '../../src/connectors/types';
import { isSentBy, sharedDomain } from '../../src/lib/cookie-scope';

export interface StoredCookie {
  name: string;
  value: string;
  /** Lower-case host (host-only) or domain without the leading dot. */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: 'strict' | 'lax' | 'none';
  /** Unix ms; undefined for a session cookie. */
  expiresAt?: number;
  createdAt: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isIpHost(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':') || host.startsWith('[');
}

/** Browsers treat loopback as a secure context: Secure cookies work over http there. */
function isSecureUrl(url: URL): boolean {
  return url.protocol === 'https:' || LOOPBACK.has(url.hostname);
}

function domainMatches(host: string, cookie: StoredCookie): boolean {
  return cookie.hostOnly ? host === cookie.domain : host === cookie.domain || host.endsWith(`.${cookie.domain}`);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** RFC 6265 5.1.4: the request path up to its last slash. */
function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

export class CookieJar implements LocalState {
  private cookies: StoredCookie[] = [];
  /** Kept logins' cookies, values included, reachable only through their handles (as in the extension). */
  private readonly kept = new WeakMap<KeptLogin, StoredCookie[]>();
  /** How many times a kept login was shown again (tests check it is once). */
  presented = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Stores one Set-Cookie line received from `requestUrl`; returns what was stored (null if refused or deleted). */
  setCookie(line: string, requestUrl: string): StoredCookie | null {
    const url = new URL(requestUrl);
    const host = url.hostname.toLowerCase();
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq < 0) return null;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!name) return null;

    const now = this.now();
    let expiresAt: number | undefined;
    let maxAgeSeen = false;
    let domainAttr: string | undefined;
    let path: string | undefined;
    let secure = false;
    let httpOnly = false;
    let sameSite: StoredCookie['sameSite'];
    for (const attribute of attributes) {
      const i = attribute.indexOf('=');
      const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : attribute.slice(i + 1).trim();
      if (key === 'max-age') {
        if (!/^-?\d+$/.test(val)) continue;
        const seconds = Number(val);
        maxAgeSeen = true;
        expiresAt = seconds <= 0 ? Number.NEGATIVE_INFINITY : now + seconds * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        // Max-Age wins over Expires whatever their order.
        const t = Date.parse(val);
        if (Number.isFinite(t)) expiresAt = t;
      } else if (key === 'domain') {
        const d = val.replace(/^\./, '').toLowerCase();
        if (d) domainAttr = d;
      } else if (key === 'path') {
        path = val.startsWith('/') ? val : undefined;
      } else if (key === 'secure') {
        secure = true;
      } else if (key === 'httponly') {
        httpOnly = true;
      } else if (key === 'samesite') {
        const v = val.toLowerCase();
        if (v === 'strict' || v === 'lax' || v === 'none') sameSite = v;
      }
    }

    if (domainAttr !== undefined) {
      const matches = host === domainAttr || (!isIpHost(host) && host.endsWith(`.${domainAttr}`));
      if (!matches) return null;
    }
    if (secure && !isSecureUrl(url)) return null;
    if (name.startsWith('__Secure-') && !secure) return null;
    if (name.startsWith('__Host-') && (!secure || domainAttr !== undefined || path !== '/')) return null;

    const cookie: StoredCookie = {
      name,
      value,
      domain: domainAttr ?? host,
      hostOnly: domainAttr === undefined,
      path: path ?? defaultPath(url),
      secure,
      httpOnly,
      createdAt: now,
      ...(sameSite ? { sameSite } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
    const same = (c: StoredCookie) => c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path && c.hostOnly === cookie.hostOnly;
    const existing = this.cookies.find(same);
    this.cookies = this.cookies.filter((c) => !same(c));
    if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) return null; // a deletion
    if (existing) cookie.createdAt = existing.createdAt;
    this.cookies.push(cookie);
    return cookie;
  }

  /** Stores every Set-Cookie of a response. */
  storeFrom(response: Response, requestUrl: string): void {
    for (const line of response.headers.getSetCookie()) this.setCookie(line, requestUrl);
  }

  private purgeExpired(): void {
    const now = this.now();
    this.cookies = this.cookies.filter((c) => c.expiresAt === undefined || c.expiresAt > now);
  }

  /** The cookies a request to `url` carries, longest path first (SameSite is moot: requests are the extension's own). */
  cookiesFor(url: string): StoredCookie[] {
    this.purgeExpired();
    const u = new URL(url);
    const host = u.hostname.toLowerCase();
    return this.cookies
      .filter((c) => domainMatches(host, c) && pathMatches(u.pathname, c.path) && (!c.secure || isSecureUrl(u)))
      .sort((a, b) => b.path.length - a.path.length || a.createdAt - b.createdAt);
  }

  cookieHeader(url: string): string {
    return this.cookiesFor(url)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** One cookie's value as a request to `url` would send it. */
  get(url: string, name: string): string | undefined {
    return this.cookiesFor(url).find((c) => c.name === name)?.value;
  }

  all(): StoredCookie[] {
    this.purgeExpired();
    return [...this.cookies];
  }

  /** The cookies the origin's pages would send, by the extension's own scope rule (any path, scheme or port). */
  private forOrigin(origin: string): (c: StoredCookie) => boolean {
    return (c) => isSentBy(origin, c);
  }

  async cookieNames(origin: string): Promise<string[]> {
    this.purgeExpired();
    return [...new Set(this.cookies.filter(this.forOrigin(origin)).map((c) => c.name))];
  }

  async scriptCookie(origin: string, name: string): Promise<string | null> {
    this.purgeExpired();
    const readable = this.cookies.filter((c) => this.forOrigin(origin)(c) && c.name === name && !c.httpOnly);
    readable.sort((a, b) => b.path.length - a.path.length);
    return readable[0]?.value ?? null;
  }

  async keepLogin(origin: string): Promise<KeptLogin> {
    this.purgeExpired();
    const cookies = this.cookies.filter(this.forOrigin(origin)).map((c) => ({ ...c }));
    const handle: KeptLogin = Object.freeze({ names: [...new Set(cookies.map((c) => c.name))] });
    this.kept.set(handle, cookies);
    return handle;
  }

  async withKeptLogin<T>(origin: string, kept: KeptLogin, task: () => Promise<T>): Promise<T> {
    const cookies = this.kept.get(kept);
    if (!cookies) throw new Error("not a login this jar kept");
    this.kept.delete(kept);
    const matches = this.forOrigin(origin);
    this.cookies = [...this.cookies.filter((c) => !matches(c)), ...cookies.map((c) => ({ ...c }))];
    this.presented++;
    try {
      return await task();
    } finally {
      this.cookies = this.cookies.filter((c) => !matches(c));
    }
  }

  async clear(origin: string): Promise<ClearReport> {
    const matches = this.forOrigin(origin);
    const shared = new Map<string, SharedCookies>();
    for (const c of this.cookies.filter(matches)) {
      const domain = sharedDomain(origin, c);
      if (domain === null) continue;
      const entry = shared.get(domain) ?? { domain, names: [] };
      if (!entry.names.includes(c.name)) entry.names.push(c.name);
      shared.set(domain, entry);
    }
    this.cookies = this.cookies.filter((c) => !matches(c));
    return { shared: [...shared.values()] };
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

/**
 * Node's fetch bound to a jar: sends the jar's cookies, stores Set-Cookie from every hop, and
 * follows redirects itself (Node's own following would skip the jar), reporting the final `url`
 * and `redirected` as a browser does. `redirect: 'manual'` returns the 3xx as Node shows it.
 */
export function jarFetch(jar: CookieJar, baseFetch: typeof fetch = fetch): RawFetch {
  return async (input, init = {}) => {
    const mode = init.redirect ?? 'follow';
    let url = input;
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    const headers = new Headers(init.headers);
    const explicitCookie = headers.has('cookie');
    for (let hop = 0; ; hop++) {
      const hopHeaders = new Headers(headers);
      const cookie = jar.cookieHeader(url);
      if (cookie && !explicitCookie) hopHeaders.set('cookie', cookie);
      const response = await baseFetch(url, { ...init, method, body, headers: hopHeaders, redirect: 'manual' });
      jar.storeFrom(response, url);
      const location = response.headers.get('location');
      if (mode === 'manual' || !REDIRECTS.has(response.status) || location === null) {
        if (hop > 0) Object.defineProperties(response, { url: { value: url }, redirected: { value: true } });
        return response;
      }
      if (mode === 'error') throw new TypeError(`redirect to ${location} refused (redirect: 'error')`);
      if (hop >= MAX_REDIRECTS) throw new TypeError('too many redirects');
      await response.body?.cancel();
      url = new URL(location, url).href;
      if (response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST') {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('origin');
      }
    }
  };
}
