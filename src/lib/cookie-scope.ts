/**
 * Which cookies belong to an origin: exactly those its own pages would send (RFC 6265 §5.4), at
 * any path, since every path is one of its pages. Clearing and "is this browser signed in" both use
 * this rule, so a sign-out never takes a sibling's cookies and a sibling's cookies never count as a
 * login here.
 *
 *   host-only cookie   only for its exact host
 *   domain cookie      for its domain and every host under it (never for an IP address)
 *   Secure             only sent to secure origins: https, and loopback hosts over http
 *   ports              do not scope cookies
 *   partitioned        (CHIPS) only the partition of the origin's own top-level site: that is what
 *                      its pages send when opened directly; the partitions it has inside other sites
 *                      belong to those embeddings, not to this login
 *
 * A domain cookie of a parent domain (Domain=example.com for app.example.com) is also sent to every
 * sibling under that domain: removing it signs those out too, so `sharedDomain` names it.
 */

/** The fields of a cookie the rule reads (a subset of the cookies API's Cookie). */
export interface CookieScope {
  domain: string;
  hostOnly: boolean;
  secure: boolean;
  partitionKey?: { topLevelSite?: string };
}

/** Lower case, IPv6 without brackets, no trailing dot. */
function normalHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** Hosts whose http pages still count as secure contexts for cookies (Chromium and Firefox). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The cookie's domain without the leading dot the APIs put on domain cookies. */
function cookieDomain(cookie: CookieScope): string {
  return normalHost(cookie.domain.replace(/^\./, ''));
}

/** True when `host` is `domain` or a host under it (domain-match, RFC 6265 §5.1.3). */
function domainMatches(host: string, domain: string): boolean {
  return host === domain || (!isIp(host) && domain !== '' && host.endsWith(`.${domain}`));
}

function parseOrigin(origin: string): { host: string; secure: boolean } {
  const url = new URL(origin);
  const host = normalHost(url.hostname);
  return { host, secure: url.protocol === 'https:' || isLoopback(host) };
}

/** Would a page of `origin` (any path, any port) send this cookie? */
export function isSentBy(origin: string, cookie: CookieScope): boolean {
  const { host, secure } = parseOrigin(origin);
  if (cookie.secure && !secure) return false;
  const domain = cookieDomain(cookie);
  const hostOnly = cookie.hostOnly || isIp(domain);
  if (hostOnly ? host !== domain : !domainMatches(host, domain)) return false;
  const topLevelSite = cookie.partitionKey?.topLevelSite;
  if (topLevelSite) {
    // A top-level site is a registrable domain: the origin's own is its host or the one parent that is a site.
    let siteHost: string;
    try {
      siteHost = normalHost(new URL(topLevelSite).hostname);
    } catch {
      return false;
    }
    if (!domainMatches(host, siteHost)) return false;
  }
  return true;
}

/**
 * For a cookie `origin` sends: the parent domain it is shared with ("example.com" for a
 * Domain=example.com cookie seen from app.example.com), or null when it is the host's own.
 */
export function sharedDomain(origin: string, cookie: CookieScope): string | null {
  const { host } = parseOrigin(origin);
  const domain = cookieDomain(cookie);
  return !cookie.hostOnly && domain !== host && domainMatches(host, domain) ? domain : null;
}
