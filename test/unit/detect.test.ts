// @vitest-environment happy-dom
/**
 * Recognising the current tab's site: the real connectors' markers read by the real page reader
 * (src/lib/page-markers.ts) out of pages parsed by happy-dom, and what detectSite makes of them.
 */
import { describe, expect, it, vi } from 'vitest';
import { detectSite, type TabPage } from '../../src/connectors/detect';
import { connectors } from '../../src/connectors/registry';
import { detector, type Connector, type ProbeAnswer } from '../../src/connectors/types';
import { readPageMarkers } from '../../src/lib/page-markers';

const FORUM = 'https://forum.example.org';

const discoursePage = (baseUri: string | null, generator = 'Discourse 3.5.0 - https://github.com/discourse/discourse version abc') =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Forum</title><meta name="generator" content="${generator}">` +
  (baseUri === null ? '' : `<meta id="data-discourse-setup" data-base-url="${FORUM}${baseUri}" data-base-uri="${baseUri}">`) +
  '</head><body><section id="main"></section></body></html>';

const nextcloudPage =
  '<!DOCTYPE html><html class="ng-csp" data-placeholder-focus="false" lang="en" data-locale="en" translate="no">' +
  '<head data-user="alice" data-requesttoken="SECRET-TOKEN"><meta charset="utf-8"><title>Files - Nextcloud</title></head><body id="body-user"></body></html>';

const NEXTCLOUD_STATUS = { installed: true, maintenance: false, needsDbUpgrade: false, version: '28.0.4.1', versionstring: '28.0.4', edition: '', productname: 'Nextcloud', extendedSupport: false };
const OWNCLOUD_STATUS = { installed: true, maintenance: false, needsDbUpgrade: false, version: '10.13.0.1', versionstring: '10.13.0', edition: 'Community', productname: 'ownCloud' };

/** A tab showing `html` at `url`, read through the real marker reader; probes answered from `files`. */
function tab(url: string, html: string, files: Record<string, ProbeAnswer> = {}) {
  const doc = new DOMParser().parseFromString(html, 'text/html') as unknown as Document;
  const page: TabPage = {
    url,
    read: vi.fn(async (queries) => ({ ...readPageMarkers(queries, doc), origin: new URL(url).origin })),
    probe: vi.fn(async (path) => files[path] ?? { status: 404, contentType: 'text/html', body: 'Not Found' }),
  };
  return page;
}

const json = (body: unknown): ProbeAnswer => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });

describe('detecting the site of the current tab', () => {
  it('offers a Discourse forum from its generator and setup tags, with the subfolder the page gives', async () => {
    const root = tab(`${FORUM}/latest`, discoursePage(''));
    expect(await detectSite(root, connectors, [])).toEqual({ connectorId: 'discourse', service: 'Discourse forum', instanceUrl: FORUM, origin: FORUM });
    const sub = tab(`${FORUM}/forum/t/welcome/1`, discoursePage('/forum'));
    expect((await detectSite(sub, connectors, []))?.instanceUrl).toBe(`${FORUM}/forum`);
    // The crawler layout has the generator alone: the forum's root.
    expect((await detectSite(tab(`${FORUM}/t/1`, discoursePage(null)), connectors, []))?.instanceUrl).toBe(FORUM);
    for (const t of [root, sub]) expect(t.probe).not.toHaveBeenCalled();
  });

  it('offers a Nextcloud from its layout once status.php confirms it, under its webroot, without reading the request token', async () => {
    const t = tab('https://cloud.example.org/nextcloud/index.php/apps/files/', nextcloudPage, { '/nextcloud/status.php': json(NEXTCLOUD_STATUS) });
    expect(await detectSite(t, connectors, [])).toEqual({ connectorId: 'nextcloud', service: 'Nextcloud', instanceUrl: 'https://cloud.example.org/nextcloud', origin: 'https://cloud.example.org' });
    expect(t.probe).toHaveBeenCalledTimes(1);
    const read = await (t.read as ReturnType<typeof vi.fn>).mock.results[0]!.value;
    expect(JSON.stringify(read)).not.toContain('SECRET-TOKEN');
    const pretty = tab('https://cloud.example.org/apps/dashboard/', nextcloudPage, { '/status.php': json(NEXTCLOUD_STATUS) });
    expect((await detectSite(pretty, connectors, []))?.instanceUrl).toBe('https://cloud.example.org');
  });

  it('does not take ownCloud, or a status.php that is not Nextcloud’s, for a Nextcloud', async () => {
    const url = 'https://cloud.example.org/index.php/apps/files/';
    expect(await detectSite(tab(url, nextcloudPage, { '/status.php': json(OWNCLOUD_STATUS) }), connectors, [])).toBeNull();
    expect(await detectSite(tab(url, nextcloudPage, { '/status.php': { status: 200, contentType: 'text/html', body: '<h1>hi</h1>' } }), connectors, [])).toBeNull();
    expect(await detectSite(tab(url, nextcloudPage), connectors, [])).toBeNull();
  });

  it('offers a Mastodon server from its mask icon once NodeInfo names Mastodon, at the origin', async () => {
    const page = '<!DOCTYPE html><html><head><link rel="mask-icon" href="/packs/media/images/logo-symbol-icon-5c1a2b3d.svg" color="#6364FF"><title>Home - social.example</title></head><body></body></html>';
    const nodeinfo = (name: string) => ({ '/nodeinfo/2.0': json({ version: '2.0', software: { name, version: '4.3.2' } }) });
    const t = tab('https://social.example.org/@alice', page, nodeinfo('mastodon'));
    expect(await detectSite(t, connectors, [])).toEqual({ connectorId: 'mastodon', service: 'Mastodon', instanceUrl: 'https://social.example.org', origin: 'https://social.example.org' });
    expect(t.probe).toHaveBeenCalledWith('/nodeinfo/2.0');
    // Another fediverse server reusing the icon, or no NodeInfo: nothing offered.
    expect(await detectSite(tab('https://social.example.org/', page, nodeinfo('pleroma')), connectors, [])).toBeNull();
    expect(await detectSite(tab('https://social.example.org/', page), connectors, [])).toBeNull();
  });

  it('offers a GitLab from its site name and manifest link, with the relative URL root, and probes nothing', async () => {
    const page = (manifest: string) =>
      `<!DOCTYPE html><html><head><meta property="og:site_name" content="GitLab"><link rel="manifest" href="${manifest}"></head><body></body></html>`;
    const root = tab('https://gitlab.example.org/group/project/-/issues', page('/-/manifest.json'));
    expect(await detectSite(root, connectors, [])).toEqual({ connectorId: 'gitlab', service: 'GitLab', instanceUrl: 'https://gitlab.example.org', origin: 'https://gitlab.example.org' });
    const sub = tab('https://example.org/gitlab/dashboard/projects', page('/gitlab/-/manifest.json'));
    expect((await detectSite(sub, connectors, []))?.instanceUrl).toBe('https://example.org/gitlab');
    for (const t of [root, sub]) expect(t.probe).not.toHaveBeenCalled();
    // A manifest on another origin, or a folder the tab is not in, is not this GitLab.
    expect(await detectSite(tab('https://example.org/other/page', page('/gitlab/-/manifest.json')), connectors, [])).toBeNull();
    expect(await detectSite(tab('https://example.org/', page('https://evil.example/-/manifest.json')), connectors, [])).toBeNull();
  });

  it('offers a WordPress site from its REST root link (either form), with its folder, or from the generator tag', async () => {
    const page = (head: string) => `<!DOCTYPE html><html><head>${head}<title>Blog</title></head><body></body></html>`;
    const pretty = tab('https://example.org/blog/2024/hello/', page('<link rel="https://api.w.org/" href="https://example.org/blog/wp-json/">'));
    expect(await detectSite(pretty, connectors, [])).toEqual({ connectorId: 'wordpress', service: 'WordPress', instanceUrl: 'https://example.org/blog', origin: 'https://example.org' });
    const plain = tab('https://blog.example.org/?p=1', page('<link rel="https://api.w.org/" href="https://blog.example.org/index.php?rest_route=/">'));
    expect((await detectSite(plain, connectors, []))?.instanceUrl).toBe('https://blog.example.org');
    const generatorOnly = tab('https://blog.example.org/about/', page('<meta name="generator" content="WordPress 6.1.9">'));
    expect((await detectSite(generatorOnly, connectors, []))?.instanceUrl).toBe('https://blog.example.org');
    for (const t of [pretty, plain, generatorOnly]) expect(t.probe).not.toHaveBeenCalled();
    // A REST root on another site, or one that is not WordPress's shape: nothing.
    expect(await detectSite(tab('https://example.org/', page('<link rel="https://api.w.org/" href="https://evil.example/wp-json/">')), connectors, [])).toBeNull();
    expect(await detectSite(tab('https://example.org/', page('<link rel="https://api.w.org/" href="/api/">')), connectors, [])).toBeNull();
  });

  it('finds nothing on a page that matches no marker, and asks the site for nothing', async () => {
    const pages = [
      '<!DOCTYPE html><html><head><meta name="generator" content="Hugo 0.120"><title>Blog</title></head><body></body></html>',
      '<!DOCTYPE html><html><head><meta name="generator" content="NotDiscourse 1.0"></head><body><meta id="data-discourse-setup-x"></body></html>',
      '<html class="ng-csp"><head><title>no token</title></head></html>',
      '',
    ];
    for (const html of pages) {
      const t = tab('https://blog.example.org/2024/hello', html);
      expect(await detectSite(t, connectors, [])).toBeNull();
      expect(t.probe).not.toHaveBeenCalled();
    }
  });

  it('reads nothing for a linked origin, a non-web tab, or a tab that moved to another origin', async () => {
    const linked = tab(`${FORUM}/latest`, discoursePage(''));
    expect(await detectSite(linked, connectors, [FORUM])).toBeNull();
    expect(linked.read).not.toHaveBeenCalled();
    for (const url of ['chrome://extensions/', 'file:///home/a/forum.html', 'about:blank', 'not a url']) {
      const t = tab(url, discoursePage(''));
      expect(await detectSite(t, connectors, [])).toBeNull();
      expect(t.read).not.toHaveBeenCalled();
    }
    const moved = tab(`${FORUM}/latest`, discoursePage(''));
    moved.read = async (q) => ({ ...readPageMarkers(q, new DOMParser().parseFromString(discoursePage(''), 'text/html') as unknown as Document), origin: 'https://elsewhere.example' });
    expect(await detectSite(moved, connectors, [])).toBeNull();
  });

  it('refuses what a hostile or odd page claims: another origin, a subfolder the tab is not in, plain http', async () => {
    for (const base of ['//evil.example', 'https://evil.example', '/other', '/forum/../x', 'javascript:alert(1)']) {
      expect(await detectSite(tab(`${FORUM}/forum/latest`, discoursePage(base)), connectors, []), base).toBeNull();
    }
    // Linking refuses http outside this computer, so nothing is offered for it either.
    expect(await detectSite(tab('http://forum.example.org/latest', discoursePage('')), connectors, [])).toBeNull();
    // Huge and numerous markers are cut in the page: what reaches the connector stays small.
    const flood = `<html><head>${'<meta name="generator" content="Discourse '.concat('x'.repeat(100_000), '">').repeat(50)}</head></html>`;
    const t = tab(`${FORUM}/`, flood);
    expect((await detectSite(t, connectors, []))?.instanceUrl).toBe(FORUM);
    const read = await (t.read as ReturnType<typeof vi.fn>).mock.results[0]!.value;
    expect(read.values.discourse.generator).toHaveLength(8);
    expect(read.values.discourse.generator[0]).toHaveLength(512);
  });

  it('knows a hosted service by its origin alone, skips a connector that throws, and caps probes', async () => {
    const hosted: Connector = { ...connectors[0]!, meta: { ...connectors[0]!.meta, id: 'hosted', name: 'Hosted', origins: ['https://hosted.example'] } };
    const t = tab('https://hosted.example/settings', '');
    expect(await detectSite(t, [hosted], [])).toMatchObject({ connectorId: 'hosted', instanceUrl: 'https://hosted.example' });
    expect(t.read).not.toHaveBeenCalled();

    const thrower: Connector = { ...connectors[0]!, meta: { ...connectors[0]!.meta, id: 'thrower' }, detect: detector({ any: 'meta' }, () => { throw new Error('boom'); }) };
    const greedy: Connector = {
      ...connectors[0]!, meta: { ...connectors[0]!.meta, id: 'greedy' },
      detect: detector({ any: 'meta' }, async ({ url }, probe) => {
        for (const path of ['//evil.example/x', 'relative', '/a', '/b', '/c', '/d']) await probe(path);
        return url.origin;
      }),
    };
    const g = tab(`${FORUM}/`, '<meta name="x">');
    expect((await detectSite(g, [thrower, greedy], []))?.connectorId).toBe('greedy');
    expect((g.probe as ReturnType<typeof vi.fn>).mock.calls.map((c) => c[0])).toEqual(['/a', '/b']);
  });
});
