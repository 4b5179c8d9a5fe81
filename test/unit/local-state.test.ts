/**
 * This browser's login state (background/local-state.ts) over a fake of the cookies and
 * browsingData APIs that behaves as Chromium's do where it matters here: getAll({url}) gives what
 * the URL receives, getAll({domain}) the domain's cookies and its subdomains', remove({url, name})
 * takes every cookie of that name the URL receives, and browsingData's `cookies` removal by origin
 * takes the whole registrable domain's cookies (the over-removal this adapter must avoid).
 */
import { describe, expect, it } from 'vitest';
import { browserLocalState } from '../../src/background/local-state';
import type { Browser } from '../../src/lib/browser';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface FakeCookie {
  name: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  storeId: string;
  secure: boolean;
}

const bare = (d: string) => d.replace(/^\./, '');
/** The fake's stand-in for the registrable domain: the last two labels. */
const site = (host: string) => host.split('.').slice(-2).join('.');

function receives(url: URL, c: FakeCookie): boolean {
  const domainOk = c.hostOnly ? url.hostname === c.domain : url.hostname === bare(c.domain) || url.hostname.endsWith(`.${bare(c.domain)}`);
  return domainOk && url.pathname.startsWith(c.path) && (!c.secure || url.protocol === 'https:');
}

class FakeApis {
  cookies: FakeCookie[] = [];
  readonly removals: { options: Record<string, unknown>; types: Record<string, boolean> }[] = [];
  readonly cookieRemovals: string[] = [];
  /** Hosts whose cookies Revoke may not see (getAll throws). */
  readonly noPermission = new Set<string>();
  /** browsingData.remove throws for the Chrome form (as Firefox does). */
  firefox = false;
  /** Each browsingData.remove waits for this, when set. */
  gate: Promise<void> | null = null;
  /** Removals in flight at once, at most. */
  mostAtOnce = 0;
  private inFlight = 0;

  readonly browser = {
    cookies: {
      getAll: async (details: { url?: string; domain?: string; partitionKey?: object }) => {
        if (details.partitionKey) return []; // no partitioned cookies in this fake
        if (details.url !== undefined) {
          const u = new URL(details.url);
          if (this.noPermission.has(u.hostname)) throw new Error('No host permissions for cookies at url');
          return this.cookies.filter((c) => receives(u, c));
        }
        const d = details.domain!;
        // Without a URL, Chromium returns only cookies whose own domain the extension may access.
        return this.cookies.filter((c) => !this.noPermission.has(bare(c.domain)) && (bare(c.domain) === d || bare(c.domain).endsWith(`.${d}`)));
      },
      remove: async ({ url, name }: { url: string; name: string }) => {
        this.cookieRemovals.push(`${url} ${name}`);
        const u = new URL(url);
        this.cookies = this.cookies.filter((c) => !(c.name === name && receives(u, c)));
        return null;
      },
    },
    browsingData: {
      remove: async (options: Record<string, unknown>, types: Record<string, boolean>) => {
        if (this.firefox && 'origins' in options) throw new Error('Type error for parameter removalOptions');
        this.mostAtOnce = Math.max(this.mostAtOnce, ++this.inFlight);
        try {
          if (this.gate) await this.gate;
          this.removals.push({ options, types });
          const hosts = 'origins' in options
            ? (options.origins as string[]).map((o) => new URL(o).hostname)
            : (options.hostnames as string[]);
          const sites = new Set(hosts.map(site));
          if (types.cookies) this.cookies = this.cookies.filter((c) => !sites.has(site(bare(c.domain))));
        } finally {
          this.inFlight--;
        }
      },
    },
  };
  local() {
    return browserLocalState(this.browser as unknown as Browser);
  }
  names() {
    return this.cookies.map((c) => `${c.domain} ${c.name}`).sort();
  }
}

/** A cookie as the API shows it: a leading dot marks a domain cookie. */
function cookie(domain: string, name: string, { secure = false, path = '/' } = {}): FakeCookie {
  return { name, domain, hostOnly: !domain.startsWith('.'), path, storeId: '0', secure };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}

describe('browserLocalState', () => {
  it('lists cookies on both schemes, and refuses only when neither can be seen', async () => {
    const apis = new FakeApis();
    apis.cookies = [cookie('a.test', 'sid'), cookie('a.test', '__Secure-t', { secure: true }), cookie('b.test', 'other')];
    const local = apis.local();
    expect((await local.cookieNames('https://a.test:8080')).sort()).toEqual(['__Secure-t', 'sid']);
    apis.noPermission.add('b.test');
    await expect(local.cookieNames('https://b.test')).rejects.toMatchObject({ kind: 'permission' });
  });

  it('counts as signed in only by cookies the origin sends: not a sibling’s or a child’s', async () => {
    const apis = new FakeApis();
    apis.cookies = [
      cookie('app.example.test', 'own'), cookie('app.example.test', 'admin', { path: '/admin' }), cookie('.example.test', 'shared'),
      cookie('mail.example.test', 'sibling'), cookie('x.app.example.test', 'child'), cookie('example.test', 'parent-host-only'),
    ];
    expect((await apis.local().cookieNames('http://app.example.test')).sort()).toEqual(['admin', 'own', 'shared']);
  });

  it('signs out of one app only: its own and the shared parent cookies go, siblings’ and the parent’s own stay, and the shared one is reported', async () => {
    const apis = new FakeApis();
    apis.cookies = [
      cookie('app.example.test', 'sid'), cookie('.app.example.test', 'pref'), cookie('app.example.test', 'admin', { path: '/admin' }),
      cookie('.example.test', 'sso'), cookie('example.test', 'sso'), cookie('example.test', 'home'),
      cookie('mail.example.test', 'sid'), cookie('x.app.example.test', 'sid'),
    ];
    const report = await apis.local().clear('http://app.example.test:8080');
    expect(apis.names()).toEqual(['example.test home', 'example.test sso', 'mail.example.test sid', 'x.app.example.test sid']);
    expect(report).toEqual({ shared: [{ domain: 'example.test', names: ['sso'] }] });
    // Site data by origin, cookies left out of it.
    expect(apis.removals).toEqual([{
      options: { origins: ['https://app.example.test:8080', 'http://app.example.test:8080'] },
      types: { cookies: false, localStorage: true, indexedDB: true, cacheStorage: true, serviceWorkers: true },
    }]);
  });

  it('reports nothing shared when only the host’s own cookies went', async () => {
    const apis = new FakeApis();
    apis.cookies = [cookie('a.test', 'sid'), cookie('.a.test', 'pref'), cookie('a.test', 'tok', { secure: true })];
    expect(await apis.local().clear('https://a.test')).toEqual({ shared: [] });
    expect(apis.cookies).toEqual([]);
    // Removed through the origin's own host, Secure ones through https.
    expect(apis.cookieRemovals.sort()).toEqual(['http://a.test/ pref', 'http://a.test/ sid', 'https://a.test/ tok']);
  });

  it('clears of many sites at once share removals, each resolving only after one that covered its origin', async () => {
    const apis = new FakeApis();
    const gate = deferred();
    apis.gate = gate.promise;
    const local = apis.local();
    const origins = Array.from({ length: 20 }, (_, i) => `http://s${i}.localhost:${8000 + i}`);
    let done = 0;
    const first = local.clear(origins[0]!).then(() => done++);
    await sleep(5); // the first removal is under way
    const rest = origins.slice(1).map((o) => local.clear(o).then(() => done++));
    await sleep(5);
    expect(done).toBe(0);
    gate.resolve();
    await Promise.all([first, ...rest]);
    expect(done).toBe(20);
    // The browser carries out removals one at a time: 2 instead of 20.
    expect(apis.removals.map((r) => (r.options.origins as string[]).length / 2)).toEqual([1, 19]);
    expect(apis.mostAtOnce).toBe(1);
    const covered = apis.removals.flatMap((r) => r.options.origins as string[]);
    for (const o of origins) {
      const host = new URL(o).host;
      expect(covered).toEqual(expect.arrayContaining([`https://${host}`, `http://${host}`]));
    }
  });

  it("falls back to Firefox's hostnames, for a batch too, without cookies", async () => {
    const apis = new FakeApis();
    apis.firefox = true;
    const local = apis.local();
    await Promise.all([local.clear('https://a.test'), local.clear('http://b.test:81'), local.clear('https://b.test')]);
    expect(apis.removals).toEqual([
      { options: { hostnames: ['a.test', 'b.test'] }, types: { cookies: false, localStorage: true, indexedDB: true } },
    ]);
  });

  it('removes no cookie for a site whose cookies it may not see, and fails only that clear', async () => {
    const apis = new FakeApis();
    apis.noPermission.add('b.test');
    apis.cookies = [cookie('a.test', 'sid'), cookie('b.test', 'sid')];
    const local = apis.local();
    const [a, b] = await Promise.allSettled([local.clear('https://a.test'), local.clear('https://b.test')]);
    expect(a.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: { kind: 'permission' } });
    expect(apis.removals.flatMap((r) => r.options.origins as string[])).toEqual(['https://a.test', 'http://a.test']);
    expect(apis.cookies.map((c) => c.domain)).toEqual(['b.test']);
  });
});

describe('browserLocalState.scriptCookie', () => {
  it("gives a cookie's value only when the site's own script could read it: never an HttpOnly one, nor another site's", async () => {
    const apis = new FakeApis();
    const valued = (c: FakeCookie, value: string, httpOnly: boolean) => Object.assign(c, { value, httpOnly });
    apis.cookies = [
      valued(cookie('id.example.test', 'authentik_csrf'), 'csrf-root', false),
      valued(cookie('id.example.test', 'authentik_csrf', { path: '/if/' }), 'csrf-deeper', false),
      valued(cookie('id.example.test', 'authentik_session'), 'session-secret', true),
      valued(cookie('other.test', 'authentik_csrf'), 'elsewhere', false),
    ];
    const local = apis.local();
    // The longest path first, as a browser sends (and document.cookie lists) them.
    expect(await local.scriptCookie!('https://id.example.test', 'authentik_csrf')).toBe('csrf-deeper');
    expect(await local.scriptCookie!('https://id.example.test', 'authentik_session')).toBeNull();
    expect(await local.scriptCookie!('https://id.example.test', 'missing')).toBeNull();
    apis.cookies = apis.cookies.filter((c) => c.domain === 'other.test');
    expect(await local.scriptCookie!('https://id.example.test', 'authentik_csrf')).toBeNull();
  });
});
