/**
 * Planning "panic": every site this browser holds cookies for (or has a linked account on), grouped
 * by site, and what happens to each. A site on the keep-list is left alone whole, its linked accounts
 * too. Every other site's linked accounts go through sign out everywhere's path (their connector's
 * sign-out, "Any site" included), then the site's cookies and data go. Pure: no browser, no storage.
 *
 * "Known logout route" (issue 13): a site is asked to end its session only where Revoke has an
 * account linked there. A linked "Any site" account uses what it learned (`learnedSignOut`) or the
 * same finder on the site's pages. Every other site is cleared in this browser only: finding a
 * sign-out there would mean reading the pages of every site the browser ever kept a cookie for,
 * each with the person's login, in the one moment they asked everything to stop.
 */
import type { Connector } from '../connectors/types';
import { siteOfHost } from '../lib/public-suffix';
import { isHostName } from './accounts';
import { planFor } from './everywhere-plan';
import type { LinkedAccount, ServerPlan } from './types';

/** A cookie as panic sees it: where it lives (a host, or a domain with its leading dot) and its name. Never its value. */
export interface CookieRef {
  domain: string;
  name: string;
}

/** What panic needs of the browser (src/background/browser-sites.ts; a fake in the tests). */
export interface BrowserSites {
  /** Every cookie this browser holds that Revoke may see (with the all-sites permission: every one). */
  cookies(): Promise<CookieRef[]>;
  /** Removes every cookie of these sites and the site data (storage, caches, service workers) of `origins`. */
  clear(sites: string[], origins: string[]): Promise<void>;
}

export interface SiteCount {
  site: string;
  cookies: number;
}

/** The sites this browser holds cookies for, most cookies first (then by name). */
export function sitesOf(cookies: readonly CookieRef[]): SiteCount[] {
  const counts = new Map<string, number>();
  for (const c of cookies) {
    const site = siteOfHost(c.domain);
    if (site) counts.set(site, (counts.get(site) ?? 0) + 1);
  }
  return [...counts].map(([site, n]) => ({ site, cookies: n })).sort((a, b) => b.cookies - a.cookies || (a.site < b.site ? -1 : 1));
}

export const siteOfOrigin = (origin: string): string => siteOfHost(new URL(origin).hostname);

/** A keep-list entry as typed or picked: a host or an address becomes its site; anything else is dropped. */
export function keepEntry(raw: string): string | null {
  const text = raw.trim().toLowerCase();
  if (!text || text.length > 253) return null;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`).hostname;
    return host && isHostName(host) ? siteOfHost(host) : null;
  } catch {
    return null;
  }
}

export interface PlannedAccount {
  account: LinkedAccount;
  plan: ServerPlan;
}

export interface PlannedSite {
  site: string;
  /** Cookies this browser held for the site when panic started. */
  cookies: number;
  kept: boolean;
  /** Linked accounts on the site, signed out first (none are touched on a kept site). */
  accounts: PlannedAccount[];
}

/**
 * Every site, in the order it is reported: sites with linked accounts first (the sign-outs that
 * reach a server), then the others by cookie count; kept sites last.
 */
export function planPanic(input: {
  cookies: readonly CookieRef[];
  accounts: readonly LinkedAccount[];
  keep: readonly string[];
  connectorById: (id: string) => Connector | undefined;
}): PlannedSite[] {
  const keep = new Set(input.keep);
  const sites = new Map<string, PlannedSite>();
  const siteFor = (site: string) => {
    let s = sites.get(site);
    if (!s) sites.set(site, (s = { site, cookies: 0, kept: keep.has(site), accounts: [] }));
    return s;
  };
  for (const { site, cookies } of sitesOf(input.cookies)) siteFor(site).cookies = cookies;
  for (const account of input.accounts) {
    let site: string;
    try {
      site = siteOfOrigin(account.origin);
    } catch {
      continue; // not a web address: nothing of it lives in the browser's cookie jar
    }
    siteFor(site).accounts.push({ account, plan: planFor(input.connectorById(account.connectorId), account) });
  }
  const rank = (s: PlannedSite) => (s.kept ? 2 : s.accounts.length > 0 ? 0 : 1);
  return [...sites.values()].sort((a, b) => rank(a) - rank(b) || b.cookies - a.cookies || (a.site < b.site ? -1 : 1));
}
