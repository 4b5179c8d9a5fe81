/**
 * This browser's login state for an origin, through the cookies and browsingData APIs.
 *
 * Cookies: exactly those the origin's pages would send (lib/cookie-scope.ts), removed one by one
 * through the cookies API. browsingData is not used for cookies: Chromium's `origins` removes the
 * cookies of the whole registrable domain (linking app.example.com and signing out also signed
 * the person out of example.com and mail.example.com), so it only clears storage, which it keeps
 * per origin. Clears of several origins at about the same time share one browsingData removal
 * (see sessions/batch.ts).
 */
import type { Cookies } from 'webextension-polyfill';
import type { Browser } from '../lib/browser';
import { isSentBy, sharedDomain } from '../lib/cookie-scope';
import { connectorError } from '../connectors/common';
import { ConnectorError, type ClearReport, type KeptLogin, type LocalState, type SharedCookies } from '../connectors/types';
import { batched } from '../sessions/batch';

function bothSchemes(origin: string): string[] {
  const u = new URL(origin);
  return [`https://${u.host}`, `http://${u.host}`];
}

type GetAll = Parameters<Browser['cookies']['getAll']>[0];
type Remove = Parameters<Browser['cookies']['remove']>[0];
type SetDetails = Parameters<Browser['cookies']['set']>[0];

const keyOf = (c: Cookies.Cookie) =>
  `${c.name}|${c.domain}|${c.path}|${c.storeId}|${(c as { partitionKey?: { topLevelSite?: string } }).partitionKey?.topLevelSite ?? ''}`;

export function browserLocalState(browser: Browser): LocalState {
  /**
   * The cookies the origin's pages would send. The queries overlap; each finds some the others miss:
   *   {url} per scheme      cookies at path / the URL receives, parent-domain ones included (the
   *                         cookies API sees Secure cookies only through https)
   *   {domain: host}        the host's cookies at every path (Chromium adds its children's, Firefox
   *                         its parents': the scope rule keeps only the origin's)
   *   partitionKey: {}      every partition as well (CHIPS); the rule keeps only the origin's own
   *                         top-level one. A browser without partitions refuses the key: ignored.
   * Not found: a parent-domain cookie with a path narrower than /, which Chromium shows only with a
   * permission for the parent domain itself.
   */
  async function cookiesOf(origin: string): Promise<Cookies.Cookie[]> {
    const { hostname } = new URL(origin);
    const get = (details: GetAll) => browser.cookies.getAll(details).catch(() => null);
    const byUrl = await Promise.all(bothSchemes(origin).map((url) => get({ url })));
    // A scheme Revoke holds no permission for throws; the other scheme still counts. (A query by
    // domain never throws for that: it leaves out what Revoke may not see.)
    if (byUrl.every((l) => l === null)) {
      throw connectorError('permission', { key: 'words_noCookiePermission', subs: [new URL(origin).host] });
    }
    const partitioned = await Promise.all(
      [...bothSchemes(origin).map((url) => ({ url })), { domain: hostname }].map((d) => get({ ...d, partitionKey: {} } as GetAll)),
    );
    const byDomain = await get({ domain: hostname });
    const seen = new Map<string, Cookies.Cookie>();
    for (const c of [...byUrl, byDomain, ...partitioned].flatMap((l) => l ?? [])) {
      if (isSentBy(origin, c)) seen.set(keyOf(c), c);
    }
    return [...seen.values()];
  }

  /**
   * Removes one cookie through a URL of the origin's own host: a removal by URL takes the cookies
   * of that name the URL receives, so using the cookie's own domain (example.com) could take
   * example.com's host-only cookie of the same name, which the origin never sends.
   */
  function removeCookie(origin: string, c: Cookies.Cookie): Promise<unknown> {
    const url = `${c.secure ? 'https' : 'http'}://${new URL(origin).host}${c.path}`;
    const details: Remove = { url, name: c.name, storeId: c.storeId };
    const partitionKey = (c as { partitionKey?: object }).partitionKey;
    if (partitionKey) Object.assign(details, { partitionKey });
    return browser.cookies.remove(details).catch(() => null);
  }

  /**
   * Sets a kept cookie back as it was, through a URL of the origin's own host (as removeCookie):
   * same domain (or host-only), path, flags, expiry and partition.
   */
  function restoreCookie(origin: string, c: Cookies.Cookie): Promise<unknown> {
    const details: SetDetails = {
      url: `${c.secure ? 'https' : 'http'}://${new URL(origin).host}${c.path}`,
      name: c.name, value: c.value, path: c.path, secure: c.secure, httpOnly: c.httpOnly, storeId: c.storeId,
    };
    if (!c.hostOnly) details.domain = c.domain;
    if (c.sameSite && c.sameSite !== ('unspecified' as string)) details.sameSite = c.sameSite;
    if (!c.session && c.expirationDate !== undefined) details.expirationDate = c.expirationDate;
    const partitionKey = (c as { partitionKey?: object }).partitionKey;
    if (partitionKey) Object.assign(details, { partitionKey });
    return browser.cookies.set(details);
  }

  /** Kept logins' cookies, reachable only through their handles: values never leave this module. */
  const kept = new WeakMap<KeptLogin, Cookies.Cookie[]>();

  async function removeAll(origin: string): Promise<void> {
    await Promise.all((await cookiesOf(origin)).map((c) => removeCookie(origin, c)));
  }

  /** The site data (not cookies) of several origins in one removal (the browser carries out removals one at a time). */
  async function removeSiteData(origins: string[]): Promise<void> {
    const unique = [...new Set(origins)];
    try {
      // `origins` is Chrome's (the polyfill's types know only Firefox's `hostnames`). Storage is per
      // origin there (measured by test/e2e/cookie-scope.test.ts: siblings keep theirs).
      await browser.browsingData.remove(
        { origins: unique.flatMap(bothSchemes) } as Parameters<Browser['browsingData']['remove']>[0],
        { cookies: false, localStorage: true, indexedDB: true, cacheStorage: true, serviceWorkers: true } as Parameters<Browser['browsingData']['remove']>[1],
      );
    } catch {
      // Firefox takes hostnames, not origins, and fewer data types.
      const hostnames = [...new Set(unique.map((o) => new URL(o).hostname))];
      await browser.browsingData.remove({ hostnames }, { cookies: false, localStorage: true, indexedDB: true });
    }
  }

  // Clears that overlap share one removal; each resolves only once a removal covering its origin finished.
  const removeBatched = batched(async (origins: string[]) => {
    await removeSiteData(origins);
    return origins;
  });

  return {
    async cookieNames(origin) {
      return [...new Set((await cookiesOf(origin)).map((c) => c.name))];
    },
    async scriptCookie(origin, name) {
      // Only what the site's own script could read: an HttpOnly cookie's value never leaves here.
      const readable = (await cookiesOf(origin)).filter((c) => c.name === name && !c.httpOnly);
      readable.sort((a, b) => b.path.length - a.path.length);
      return readable[0]?.value ?? null;
    },
    async keepLogin(origin) {
      const cookies = await cookiesOf(origin);
      const handle: KeptLogin = Object.freeze({ names: [...new Set(cookies.map((c) => c.name))] });
      kept.set(handle, cookies);
      return handle;
    },
    async withKeptLogin(origin, handle, task) {
      const cookies = kept.get(handle);
      if (!cookies) throw new Error('That login was not kept here.');
      // Used once: the values are dropped from memory whatever happens next.
      kept.delete(handle);
      try {
        // What the sign-out left (the site's new cookies) goes first, so the request carries the old login alone.
        await removeAll(origin);
        await Promise.all(cookies.map((c) => restoreCookie(origin, c)));
        return await task();
      } finally {
        await removeAll(origin).catch(() => undefined);
      }
    },
    async clear(origin): Promise<ClearReport> {
      // Cookies are read first (without permission to see them nothing is removed), then site
      // data, then cookies: if the browser refuses the site data, no cookie (least of all a shared one) is gone.
      const cookies = await cookiesOf(origin);
      await removeBatched(origin);
      await Promise.all(cookies.map((c) => removeCookie(origin, c)));
      // Reported from what is gone, not from what was asked: a removal can fail quietly.
      const left = new Set((await cookiesOf(origin).catch(() => cookies)).map(keyOf));
      const shared = new Map<string, SharedCookies>();
      for (const c of cookies) {
        const domain = sharedDomain(origin, c);
        if (domain === null || left.has(keyOf(c))) continue;
        const entry = shared.get(domain) ?? { domain, names: [] };
        if (!entry.names.includes(c.name)) entry.names.push(c.name);
        shared.set(domain, entry);
      }
      return { shared: [...shared.values()] };
    },
  };
}
