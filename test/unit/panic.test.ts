/**
 * Panic's plan and run against the engine's in-memory world (sessions-world.ts) and a fake of the
 * browser's cookie jar for every site: what is kept, what is signed out and cleared, and in which
 * order (every linked account's server step, then its local clear, then the sweep of whole sites).
 */
import 'fake-indexeddb/auto';
import { getDomain } from 'tldts';
import { describe, expect, it } from 'vitest';
import { createAccountStore } from '../../src/sessions/accounts';
import { openSessionsDb, sessionsConnection } from '../../src/sessions/db';
import { createSessionEngine } from '../../src/sessions/engine';
import { isHostName } from '../../src/sessions/accounts';
import { keepEntry, planPanic, sitesOf, type BrowserSites, type CookieRef } from '../../src/sessions/panic-plan';
import { siteOfHost } from '../../src/lib/public-suffix';
import { createPanicSettings, sanitizePanic } from '../../src/background/panic-settings';
import { createPanicHandlers } from '../../src/background/panic-handlers';
import type { ConnectorContext } from '../../src/connectors/types';
import type { LinkedAccount } from '../../src/sessions/types';
import { World, fakeConnector } from './sessions-world';
import { panicCountsText } from '../../src/sessions/panic';
import { say, setMessageSource, type Said } from '../../src/i18n/t';
import { messageSource } from '../../src/i18n/messages-file';
import en from '../../_locales/en/messages.json';
import de from '../../_locales/de/messages.json';

/**
 * Every site's cookies, as the background's browser-sites.ts sees them: the world's jars (one per
 * site, where the linked fake services keep their login) and cookies of sites with no account.
 */
class FakeSites implements BrowserSites {
  readonly log: string[] = [];
  readonly dataCleared: string[] = [];
  /** Sites whose clear leaves a cookie behind; a clear that throws. */
  readonly stubborn = new Set<string>();
  refuse = false;
  constructor(private readonly world: World, readonly loose: CookieRef[]) {}
  async cookies(): Promise<CookieRef[]> {
    const inJars = [...this.world.browser.jars].flatMap(([site, jar]) => [...jar.keys()].map((name) => ({ domain: site, name })));
    return [...inJars, ...this.loose];
  }
  async clear(sites: string[], origins: string[]): Promise<void> {
    this.log.push(`sweep ${[...sites].sort().join(' ')}`);
    if (this.refuse) throw new Error('browsingData refused');
    this.dataCleared.push(...origins);
    for (const site of sites) {
      this.world.browser.jars.delete(site);
      for (let i = this.loose.length - 1; i >= 0; i--) if (siteOfHost(this.loose[i]!.domain) === site) this.loose.splice(i, 1);
      if (this.stubborn.has(site)) this.loose.push({ domain: `.${site}`, name: 'stubborn' });
    }
  }
}

let n = 0;
async function setup(loose: CookieRef[]) {
  const world = new World();
  const connector = fakeConnector(world, 'fake');
  const registry = new Map([[connector.meta.id, connector]]);
  const db = sessionsConnection(() => openSessionsDb(`panic-${++n}-${Math.random()}`));
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const store = createAccountStore({ db, connectorById: (id) => registry.get(id), newId });
  const sites = new FakeSites(world, loose);
  // The order of what reaches the world: each server revoke and each local clear, as they happen.
  const revoke = connector.revoke!;
  connector.revoke = async (ctx, target) => {
    sites.log.push(`revoke ${new URL(ctx.account.origin).host}`);
    return revoke(ctx, target);
  };
  const clear = world.browser.local.clear;
  world.browser.local.clear = async (origin) => {
    sites.log.push(`local ${new URL(origin).host}`);
    return clear(origin);
  };
  const engine = createSessionEngine({
    db, connectorById: (id) => registry.get(id), newId,
    contextFor: (account: LinkedAccount, signal: AbortSignal): ConnectorContext => ({
      account, signal, local: world.browser.local, now: Date.now,
      fetch: () => Promise.reject(new Error('no network in this test')),
      selectHtml: () => { throw new Error('no HTML in this test'); },
    }),
  });
  const link = async (origin: string) => {
    const service = world.service(origin);
    await store.add({ connectorId: 'fake', instanceUrl: origin, label: origin });
    return service;
  };
  return { world, engine, sites, link, registry, store };
}

const REASON = { kind: 'shared-computer' } as const;

describe('sites, as cookies group them', () => {
  it('are registrable domains by the public suffix list, and IP hosts and localhost names on their own', () => {
    for (const host of ['mail.example.com', 'example.com', 'a.b.example.co.uk', 'user.github.io', 'x.y.blogspot.com', 'www.bbc.co.uk']) {
      // Private-section suffixes (github.io) count as browsers count them for cookies.
      expect(siteOfHost(host), host).toBe(getDomain(host, { allowPrivateDomains: true }));
    }
    expect(siteOfHost('.example.com')).toBe('example.com');
    expect(siteOfHost('127.0.0.1')).toBe('127.0.0.1');
    expect(siteOfHost('[::1]')).toBe('[::1]');
    expect(siteOfHost('localhost')).toBe('localhost');
    expect(siteOfHost('a.localhost')).toBe('a.localhost');
    expect(siteOfHost('co.uk')).toBe('co.uk');
  });

  it('count each site\'s cookies, most first', () => {
    const cookies = [
      { domain: '.example.com', name: 'a' }, { domain: 'mail.example.com', name: 'b' }, { domain: 'example.com', name: 'c' },
      { domain: '127.0.0.1', name: 'sid' }, { domain: 'b.localhost', name: 'x' }, { domain: 'c.localhost', name: 'y' },
    ];
    expect(sitesOf(cookies)).toEqual([
      { site: 'example.com', cookies: 3 }, { site: '127.0.0.1', cookies: 1 }, { site: 'b.localhost', cookies: 1 }, { site: 'c.localhost', cookies: 1 },
    ]);
  });

  it('keep-list entries: an address or a host becomes its site; anything else is dropped', () => {
    expect(keepEntry('https://mail.google.com/mail/u/0/')).toBe('google.com');
    expect(keepEntry(' Vault.Bitwarden.com ')).toBe('bitwarden.com');
    expect(keepEntry('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(keepEntry('')).toBeNull();
    expect(keepEntry('not a host')).toBeNull();
    // Chromium's URL parser percent-encodes such a host rather than refusing it (user trial: kept
    // as "not%20a%20site!!"); Node's refuses it, so the host check is tested apart.
    expect(isHostName('not%20a%20site!!')).toBe(false);
    expect(isHostName('mail.example.com') && isHostName('127.0.0.1') && isHostName('[::1]')).toBe(true);
    expect(keepEntry('a..b')).toBeNull();
    expect(sanitizePanic({ enabled: 'yes', keep: ['mail.example.com', 'example.com', 7, 'bad host'] })).toEqual({ enabled: false, keep: ['example.com'] });
  });
});

describe('panic', () => {
  it('plans accounts\' sites first, then the other sites, kept sites last, each with its cookie count', async () => {
    const { world, link, store, registry } = await setup([]);
    await link('https://app.linked.test');
    await link('https://mail.kept.test');
    const plan = planPanic({
      cookies: [...[...world.browser.jars].flatMap(([d, jar]) => [...jar.keys()].map((name) => ({ domain: d, name }))), { domain: '.news.example', name: 'a' }, { domain: 'news.example', name: 'b' }],
      accounts: await store.list(), keep: ['kept.test'], connectorById: (id) => registry.get(id),
    });
    expect(plan.map((s) => [s.site, s.kept, s.cookies, s.accounts.map((a) => a.plan)])).toEqual([
      ['linked.test', false, 1, ['all']],
      ['news.example', false, 2, []],
      ['kept.test', true, 1, ['all']],
    ]);
  });

  it('signs out linked accounts, clears every other site, leaves the kept site whole; in order; one audit record', async () => {
    const { world, engine, sites, link } = await setup([{ domain: '.news.example', name: 'session' }, { domain: 'www.news.example', name: 'prefs' }]);
    const linked = await link('https://app.linked.test');
    const kept = await link('https://mail.kept.test');
    const report = await engine.panic({ keep: ['kept.test'], reason: REASON, sites });

    // The linked site: its server step ended every session, then this browser's login went.
    expect(linked.sessions.size).toBe(0);
    expect(world.browser.jars.has('linked.test')).toBe(false);
    // The other site: cookies gone, its data cleared, and no request to it (there is no way to ask).
    expect(sites.loose).toEqual([]);
    expect(sites.dataCleared).toEqual(expect.arrayContaining(['https://www.news.example', 'http://news.example', 'https://app.linked.test']));
    // The kept site: nothing sent, nothing cleared.
    expect(kept.sessions.size).toBe(3);
    expect(kept.revokes).toEqual([]);
    expect(world.browser.jars.get('kept.test')?.get('sid')).toBe('s1');
    expect(sites.dataCleared.some((o) => o.includes('kept.test'))).toBe(false);
    expect(world.browser.clears).toEqual(['https://app.linked.test']);

    // Server step, then the account's local clear, then the sweep of whole sites (never the kept one).
    expect(sites.log).toEqual(['revoke app.linked.test', 'local app.linked.test', 'sweep linked.test news.example']);

    expect(report).toMatchObject({ confirmed: 1, browserOnly: 1, notConfirmed: 0, failed: 0, kept: 1 });
    const bySite = new Map(report.sites.map((s) => [s.site, s]));
    expect(bySite.get('linked.test')).toMatchObject({ kept: false, cookies: 1, accounts: [{ endsOthers: true, server: { status: 'confirmed' }, local: { status: 'confirmed' } }], cleared: { status: 'confirmed' } });
    expect(bySite.get('kept.test')).toEqual({ site: 'kept.test', kept: true, cookies: 1, accounts: [] });
    const other = bySite.get('news.example')!;
    expect(other.accounts).toEqual([]);
    expect(other.cleared?.status).toBe('confirmed');
    expect(other.cleared && 'seen' in other.cleared && other.cleared.seen).toMatch(/This browser only: no account is linked at news\.example/);

    const audit = await engine.audit.list({ limit: 10 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'panic', reason: REASON, outcome: { status: 'confirmed' }, panic: report.sites });
    expect(report).toMatchObject({ confirmed: 1, browserOnly: 1, notConfirmed: 0, failed: 0, kept: 1 });
    expect(audit[0]!.outcome).toMatchObject({ seen: 'Panic: 1 site signed out, 1 site cleared in this browser only, 1 site kept.' });
  });

  it('counts the run in words: each count its own plural, zero counts left out, in English and German', () => {
    const counts = { confirmed: 0, browserOnly: 0, notConfirmed: 0, failed: 0, kept: 0 };
    expect(panicCountsText({ ...counts, confirmed: 1 }, say)).toBe('Panic: 1 site signed out.');
    expect(panicCountsText({ ...counts, confirmed: 2, notConfirmed: 1, failed: 3, kept: 1 }, say))
      .toBe('Panic: 2 sites signed out, 1 site not confirmed, 3 sites failed, 1 site kept.');
    expect(panicCountsText({ confirmed: 1, browserOnly: 2, notConfirmed: 1, failed: 1, kept: 2 }, say))
      .toBe('Panic: 1 site signed out, 2 sites cleared in this browser only, 1 site not confirmed, 1 site failed, 2 sites kept.');
    expect(panicCountsText({ ...counts, kept: 2 }, say)).toBe('Panic: 2 sites kept.');
    expect(panicCountsText(counts, say)).toBe('Panic: there was no site to sign out of.');

    const german = (s: Said) => { setMessageSource(messageSource(de, 'de')); try { return say(s); } finally { setMessageSource(messageSource(en, 'en')); } };
    expect(panicCountsText({ ...counts, confirmed: 1, browserOnly: 2 }, german)).toBe('Panik: 1 Website abgemeldet, 2 Websites nur in diesem Browser gelöscht.');
    expect(panicCountsText({ ...counts, failed: 1, kept: 3 }, german)).toBe('Panik: 1 Website fehlgeschlagen, 3 Websites behalten.');
    expect(panicCountsText(counts, german)).toBe('Panik: Es gab keine Website zum Abmelden.');
  });

  it('ends every server session of a site before clearing any of its logins (they share its cookies)', async () => {
    const { sites, engine, link } = await setup([]);
    const app = await link('https://app.linked.test');
    const admin = await link('https://admin.linked.test');
    const report = await engine.panic({ keep: [], reason: REASON, sites });
    expect(sites.log.slice(0, 2).sort()).toEqual(['revoke admin.linked.test', 'revoke app.linked.test']);
    expect(sites.log.slice(2, 4).sort()).toEqual(['local admin.linked.test', 'local app.linked.test']);
    expect(app.sessions.size + admin.sessions.size).toBe(0);
    expect(report).toMatchObject({ confirmed: 1, failed: 0 });
  });

  it('says what is left when a site\'s cookie survives, and fails every site when the browser refuses the clear', async () => {
    const left = await setup([{ domain: 'news.example', name: 'session' }]);
    left.sites.stubborn.add('news.example');
    const a = await left.engine.panic({ keep: [], reason: REASON, sites: left.sites });
    expect(a.sites[0]).toMatchObject({ site: 'news.example', cleared: { status: 'not-confirmed', seen: 'This browser still holds 1 cookie of news.example: stubborn.' } });
    expect(a).toMatchObject({ confirmed: 0, notConfirmed: 1 });

    const refused = await setup([{ domain: 'news.example', name: 'session' }]);
    refused.sites.refuse = true;
    const b = await refused.engine.panic({ keep: [], reason: REASON, sites: refused.sites });
    expect(b.sites[0]!.cleared).toMatchObject({ status: 'failed', kind: 'permission' });
    expect(b).toMatchObject({ failed: 1 });
    expect(refused.sites.loose).toHaveLength(1);
    expect((await refused.engine.audit.list({ limit: 1 }))[0]!.outcome).toMatchObject({ status: 'failed', kind: 'permission' });
  });

  it('a second press while one runs joins it', async () => {
    const { engine, sites } = await setup([{ domain: 'news.example', name: 'session' }]);
    const [a, b] = await Promise.all([engine.panic({ keep: [], reason: REASON, sites }), engine.panic({ keep: [], reason: REASON, sites })]);
    expect(a).toBe(b);
    expect(sites.log).toEqual(['sweep news.example']);
  });
});

describe('panic\'s handlers', () => {
  async function handlers(permission: { granted: boolean }) {
    const { engine, sites } = await setup([{ domain: 'news.example', name: 'session' }]);
    const stored: Record<string, unknown> = {};
    const area = { get: async (k: string) => ({ [k]: stored[k] }), set: async (items: Record<string, unknown>) => void Object.assign(stored, items) };
    const h = createPanicHandlers({ engine, settings: createPanicSettings(area), sites, hasPermission: async () => permission.granted });
    return { h, sites };
  }

  it('turn on only with the all-sites permission granted, and run only when on and still granted', async () => {
    const permission = { granted: false };
    const { h, sites } = await handlers(permission);
    expect(await h['panic/state'](null)).toEqual({ enabled: false, keep: [], permission: false, sites: null });
    await expect(h['panic/update']({ enabled: true })).rejects.toMatchObject({ code: 'forbidden', said: { key: 'panic_denied' } });
    await expect(h['panic/run']({ reason: REASON })).rejects.toMatchObject({ said: { key: 'panic_error_off' } });

    permission.granted = true;
    expect(await h['panic/update']({ enabled: true, keep: ['https://mail.example.com/'] })).toEqual({
      enabled: true, keep: ['example.com'], permission: true, sites: [{ site: 'news.example', cookies: 1 }],
    });
    permission.granted = false; // taken back in the browser's own settings
    await expect(h['panic/run']({ reason: REASON })).rejects.toMatchObject({ said: { key: 'panic_error_permission' } });
    expect(sites.log).toEqual([]);

    permission.granted = true;
    expect(await h['panic/run']({ reason: REASON })).toMatchObject({ browserOnly: 1 });
    expect(sites.log).toEqual(['sweep news.example']);
  });
});
