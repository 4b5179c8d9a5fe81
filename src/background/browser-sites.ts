/**
 * Every site's cookies and site data, for panic (sessions/panic.ts). Unlike local-state.ts, which
 * clears exactly what one origin's pages would send, panic clears whole sites: every cookie whose
 * domain lies in a site not kept, so no scope rule is needed, only the site of each cookie's domain
 * (lib/public-suffix.ts). The cookies API shows only cookies of hosts Revoke holds a permission for:
 * with panic on, that is every host.
 */
import type { Cookies } from 'webextension-polyfill';
import type { Browser } from '../lib/browser';
import { siteOfHost } from '../lib/public-suffix';
import type { BrowserSites } from '../sessions/panic-plan';

type GetAll = Parameters<Browser['cookies']['getAll']>[0];
type Remove = Parameters<Browser['cookies']['remove']>[0];
type Partitioned = Cookies.Cookie & { partitionKey?: object };

/**
 * `firefox`: every query also names `firstPartyDomain: null` (all of them), which Firefox requires
 * under first-party isolation and Chrome refuses as an unknown key.
 */
export function browserSites(browser: Browser, { firefox = false }: { firefox?: boolean } = {}): BrowserSites {
  const isolation = firefox ? { firstPartyDomain: null } : {};

  /**
   * Every cookie store's cookies: getAll without a store reads only the default one, which would
   * leave Firefox's containers (and an incognito store Revoke may see) signed in and unchecked.
   */
  async function storeIds(): Promise<(string | undefined)[]> {
    const stores = await browser.cookies.getAllCookieStores().catch(() => []);
    return stores.length > 0 ? stores.map((s) => s.id) : [undefined];
  }

  /** Unpartitioned and partitioned (CHIPS) cookies; a browser without partitions refuses the key. */
  async function all(): Promise<Partitioned[]> {
    const lists = await Promise.all((await storeIds()).map(async (storeId) => {
      const where = { ...(storeId === undefined ? {} : { storeId }), ...isolation } as GetAll;
      const plain = await browser.cookies.getAll(where);
      const partitioned = await browser.cookies.getAll({ ...where, partitionKey: {} } as GetAll).catch(() => [] as Cookies.Cookie[]);
      return [...plain, ...partitioned];
    }));
    const seen = new Map<string, Partitioned>();
    for (const c of lists.flat() as Partitioned[]) {
      seen.set(`${c.name}|${c.domain}|${c.path}|${c.storeId}|${JSON.stringify(c.partitionKey ?? null)}|${c.firstPartyDomain ?? ''}`, c);
    }
    return [...seen.values()];
  }

  /** Through a URL of the cookie's own domain: every cookie of that name it receives is in the same site. */
  function remove(c: Partitioned): Promise<unknown> {
    const details: Remove = { url: `${c.secure ? 'https' : 'http'}://${c.domain.replace(/^\./, '')}${c.path}`, name: c.name, storeId: c.storeId };
    if (c.partitionKey) Object.assign(details, { partitionKey: c.partitionKey });
    if (firefox && c.firstPartyDomain !== undefined) details.firstPartyDomain = c.firstPartyDomain;
    return browser.cookies.remove(details).catch(() => null);
  }

  return {
    async cookies() {
      return (await all()).map((c) => ({ domain: c.domain, name: c.name }));
    },
    async clear(sites, origins) {
      const targets = new Set(sites);
      const cookies = (await all()).filter((c) => targets.has(siteOfHost(c.domain)));
      // Site data first (as local-state.ts): if the browser refuses it, no cookie is gone yet.
      const unique = [...new Set(origins)];
      if (unique.length > 0) {
        try {
          // Chrome's `origins` (storage is per origin there); Firefox takes hostnames and fewer types.
          await browser.browsingData.remove(
            { origins: unique } as Parameters<Browser['browsingData']['remove']>[0],
            { cookies: false, localStorage: true, indexedDB: true, cacheStorage: true, serviceWorkers: true } as Parameters<Browser['browsingData']['remove']>[1],
          );
        } catch {
          const hostnames = [...new Set(unique.map((o) => new URL(o).hostname))];
          await browser.browsingData.remove({ hostnames }, { cookies: false, localStorage: true, indexedDB: true });
        }
      }
      await Promise.all(cookies.map(remove));
    },
  };
}
