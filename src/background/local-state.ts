/**
 * This browser's login state for an origin, through the cookies and
 * browsingData APIs. Cookies are looked up for both schemes: the cookies API
 * sees Secure cookies only through an https URL. Clears of several origins at
 * about the same time share one browsingData removal (see sessions/batch.ts).
 */
import type { Cookies } from 'webextension-polyfill';
import type { Browser } from '../lib/browser';
import { ConnectorError, type LocalState } from '../connectors/types';
import { batched } from '../sessions/batch';

function bothSchemes(origin: string): string[] {
  const u = new URL(origin);
  return [`https://${u.host}`, `http://${u.host}`];
}

export function browserLocalState(browser: Browser): LocalState {
  async function cookiesOf(origin: string) {
    // A scheme Revoke holds no permission for throws; the other scheme still counts.
    const lists = await Promise.all(bothSchemes(origin).map((url) => browser.cookies.getAll({ url }).catch(() => null)));
    if (lists.every((l) => l === null)) {
      throw new ConnectorError('permission', `Revoke has no permission to see the cookies of ${new URL(origin).host}.`);
    }
    const seen = new Map<string, Cookies.Cookie>();
    for (const c of lists.flatMap((l) => l ?? [])) seen.set(`${c.name}|${c.domain}|${c.path}|${c.storeId}`, c);
    return [...seen.values()];
  }

  /** The site data of several origins in one removal (the browser carries out removals one at a time). */
  async function removeSiteData(origins: string[]): Promise<void> {
    const unique = [...new Set(origins)];
    try {
      // `origins` is Chrome's (the polyfill's types know only Firefox's `hostnames`).
      await browser.browsingData.remove(
        { origins: unique.flatMap(bothSchemes) } as Parameters<Browser['browsingData']['remove']>[0],
        { cookies: true, localStorage: true, indexedDB: true, cacheStorage: true, serviceWorkers: true } as Parameters<Browser['browsingData']['remove']>[1],
      );
    } catch {
      // Firefox's browsingData takes hostnames, not origins, and fewer data types.
      const hostnames = [...new Set(unique.map((o) => new URL(o).hostname))];
      await browser.browsingData.remove({ hostnames }, { cookies: true, localStorage: true, indexedDB: true });
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
    async clear(origin) {
      // Remove each cookie explicitly (any port, either scheme), all at once, then the site's storage.
      await Promise.all(
        (await cookiesOf(origin)).flatMap((c) => {
          const host = c.domain.replace(/^\./, '');
          return ['https', 'http'].map((scheme) =>
            browser.cookies.remove({ url: `${scheme}://${host}${c.path}`, name: c.name, storeId: c.storeId }).catch(() => null));
        }),
      );
      await removeBatched(origin);
    },
  };
}
