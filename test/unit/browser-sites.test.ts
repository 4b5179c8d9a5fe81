/**
 * Every site's cookies for panic (background/browser-sites.ts) over a fake of the cookies and
 * browsingData APIs that behaves as Chromium's do where it matters: getAll({}) gives every cookie
 * (getAll with a partitionKey of {} every partitioned one), remove({url, name, partitionKey}) takes
 * every cookie of that name the URL receives in that partition, browsingData takes `origins`
 * (Firefox refuses them and takes `hostnames`).
 */
import { describe, expect, it } from 'vitest';
import { browserSites } from '../../src/background/browser-sites';
import type { Browser } from '../../src/lib/browser';

interface FakeCookie {
  name: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  storeId: string;
  secure: boolean;
  partitionKey?: { topLevelSite: string };
}

const bare = (d: string) => d.replace(/^\./, '');
function receives(url: URL, c: FakeCookie): boolean {
  const domainOk = c.hostOnly ? url.hostname === c.domain : url.hostname === bare(c.domain) || url.hostname.endsWith(`.${bare(c.domain)}`);
  return domainOk && url.pathname.startsWith(c.path) && (!c.secure || url.protocol === 'https:');
}

/**
 * Stores as both browsers give them: getAll and remove work in one store, the default ('0', or
 * Firefox's 'firefox-default') unless told; Firefox's containers are stores of their own. Under
 * Firefox's first-party isolation getAll throws unless it names `firstPartyDomain`; Chrome throws
 * for that key.
 */
function fake(cookies: FakeCookie[], { firefox = false, isolated = false } = {}) {
  const state = { cookies: [...cookies], data: [] as Record<string, unknown>[] };
  const DEFAULT = firefox ? 'firefox-default' : '0';
  const stores = [...new Set([DEFAULT, ...cookies.map((c) => c.storeId)])];
  const api = {
    cookies: {
      getAllCookieStores: async () => stores.map((id) => ({ id, tabIds: [] })),
      getAll: async (details: { partitionKey?: object; storeId?: string; firstPartyDomain?: string | null }) => {
        if (!firefox && 'firstPartyDomain' in details) throw new Error('Unexpected property: firstPartyDomain');
        if (isolated && !('firstPartyDomain' in details)) throw new Error('First-Party Isolation is enabled, but the required firstPartyDomain attribute was not set.');
        return state.cookies.filter((c) => c.storeId === (details.storeId ?? DEFAULT) &&
          (details.partitionKey ? c.partitionKey !== undefined : c.partitionKey === undefined));
      },
      remove: async (d: { url: string; name: string; storeId?: string; partitionKey?: { topLevelSite: string } }) => {
        const url = new URL(d.url);
        state.cookies = state.cookies.filter((c) => !(c.name === d.name && receives(url, c) && c.storeId === (d.storeId ?? DEFAULT) &&
          c.partitionKey?.topLevelSite === d.partitionKey?.topLevelSite));
        return null;
      },
    },
    browsingData: {
      remove: async (options: Record<string, unknown>) => {
        if (firefox && 'origins' in options) throw new Error('Type error for parameter options');
        state.data.push(options);
      },
    },
  };
  return { state, sites: browserSites(api as unknown as Browser, { firefox }) };
}

const cookie = (domain: string, name: string, more: Partial<FakeCookie> = {}): FakeCookie =>
  ({ name, domain, hostOnly: !domain.startsWith('.'), path: '/', storeId: '0', secure: false, ...more });

describe('browser sites (panic)', () => {
  it('list every cookie, partitioned ones too, by domain and name', async () => {
    const { sites } = fake([cookie('.example.com', 'sid'), cookie('mail.example.com', 'm', { partitionKey: { topLevelSite: 'https://news.test' } })]);
    expect(await sites.cookies()).toEqual([{ domain: '.example.com', name: 'sid' }, { domain: 'mail.example.com', name: 'm' }]);
  });

  it('clear every cookie of the sites asked (any host, path, Secure, partition) and never a kept site\'s of the same name', async () => {
    const { state, sites } = fake([
      cookie('.example.com', 'sid'),
      cookie('app.example.com', 'sid', { path: '/app', secure: true }),
      cookie('x.app.example.com', 'pref', { partitionKey: { topLevelSite: 'https://news.test' } }),
      cookie('127.0.0.1', 'sessionid'),
      // Kept: the same names, on a kept site, on localhost's other site and on an IP neighbour.
      cookie('.kept.com', 'sid'),
      cookie('mail.kept.com', 'sid'),
      cookie('c.localhost', 'sessionid'),
      cookie('127.0.0.2', 'sessionid'),
    ]);
    await sites.clear(['example.com', '127.0.0.1'], ['https://app.example.com', 'http://127.0.0.1']);
    expect(state.cookies.map((c) => `${c.domain} ${c.name}`)).toEqual(['.kept.com sid', 'mail.kept.com sid', 'c.localhost sessionid', '127.0.0.2 sessionid']);
    expect(state.data).toEqual([{ origins: ['https://app.example.com', 'http://127.0.0.1'] }]);
  });

  it('in Firefox, list and clear the cookies of every container, also under first-party isolation', async () => {
    const { state, sites } = fake([
      cookie('.example.com', 'sid', { storeId: 'firefox-default' }),
      cookie('.example.com', 'sid', { storeId: 'firefox-container-1' }),
      cookie('.kept.com', 'sid', { storeId: 'firefox-container-2' }),
    ], { firefox: true, isolated: true });
    expect(await sites.cookies()).toEqual([
      { domain: '.example.com', name: 'sid' }, { domain: '.example.com', name: 'sid' }, { domain: '.kept.com', name: 'sid' },
    ]);
    await sites.clear(['example.com'], ['https://example.com']);
    expect(state.cookies.map((c) => `${c.storeId} ${c.domain}`)).toEqual(['firefox-container-2 .kept.com']);
  });

  it('in Chrome, name no first-party domain (it refuses the key)', async () => {
    const { state, sites } = fake([cookie('.example.com', 'sid')]);
    expect(await sites.cookies()).toEqual([{ domain: '.example.com', name: 'sid' }]);
    await sites.clear(['example.com'], []);
    expect(state.cookies).toEqual([]);
  });

  it('in Firefox, clear site data by host name', async () => {
    const { state, sites } = fake([cookie('a.test', 'x')], { firefox: true });
    await sites.clear(['a.test'], ['https://a.test', 'http://a.test']);
    expect(state.cookies).toEqual([]);
    expect(state.data).toEqual([{ hostnames: ['a.test'] }]);
  });
});
