/**
 * Signing out of one app must not sign the person out of its siblings. One loopback server
 * answers for several hosts under example.localhost (*.localhost resolves to loopback in Chromium
 * and Firefox); each page sets its host's cookies and a localStorage item. After a sign-out of
 * app.example.localhost, counted through the cookies API: only the cookies app's pages send are
 * gone (its own, and the parent's domain cookie, which the result names), and only app's storage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import puppeteer, { type Browser as Firefox, type Page as FirefoxPage } from 'puppeteer-core';
import { launch, removeProfile, type Launched } from './harness';

const PARENT = 'example.localhost';
const APP = `app.${PARENT}`;
const HOSTS = [PARENT, APP, `mail.${PARENT}`, `x.${APP}`];

/** Per host: a host-only cookie, a domain cookie of its own, and on the parent a domain cookie every host below receives. */
function cookiesFor(host: string): string[] {
  const tag = host === PARENT ? 'parent' : host.split('.')[0]!;
  const set = [`${tag}_host=1; Path=/`, `${tag}_dom=1; Domain=${host}; Path=/`];
  if (host === APP) set.push(`${tag}_admin=1; Path=/admin`);
  return set;
}

/** What must be left after signing out of app: everything but app's own cookies and the parent's domain cookie. */
const EXPECTED_LEFT = [
  `${PARENT} parent_host`,
  `mail.${PARENT} mail_dom`, `mail.${PARENT} mail_host`,
  `x.${APP} x_dom`, `x.${APP} x_host`,
].sort();

async function startHosts(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (req.url === '/set') {
      res.setHeader('set-cookie', cookiesFor(host));
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<script>localStorage.setItem('k', '${host}')</script><p>set</p>`);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>page</p>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

interface CookieLike { domain: string; name: string }
const listed = (cookies: CookieLike[]) =>
  cookies.filter((c) => c.domain.replace(/^\./, '').endsWith(PARENT)).map((c) => `${c.domain.replace(/^\./, '')} ${c.name}`).sort();


describe('Chromium: signing out of one app leaves its siblings signed in', () => {
  let site: Awaited<ReturnType<typeof startHosts>>;
  let b: Launched;
  beforeAll(async () => {
    site = await startHosts();
    b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await site?.close();
  });

  it('removes exactly the cookies app’s pages send, keeps siblings’ storage, and names the shared cookie', async () => {
    const page = await b.ctx.newPage();
    for (const h of HOSTS) await page.goto(`http://${h}:${site.port}/set`);
    const all = () => b.sw.evaluate(async () => (await chrome.cookies.getAll({})).map((c) => ({ domain: c.domain, name: c.name })));
    expect(listed(await all())).toHaveLength(9);

    const options = await b.page('options.html');
    const result = await options.evaluate(async (url) => {
      const send = (type: string, body: unknown) => chrome.runtime.sendMessage({ type, body });
      const link = await send('accounts/link', { connectorId: 'generic', url, settings: {} });
      if (!link.ok) return { link };
      const revoke = await send('sessions/revoke', { accountId: link.value.account.id, target: 'all', reason: { kind: 'shared-computer' } });
      return { link, revoke };
    }, `http://${APP}:${site.port}`);
    expect(result.revoke, JSON.stringify(result)).toMatchObject({ ok: true, value: { status: 'not-confirmed', seen: expect.stringMatching(/was not asked to end the session/), sharedCookies: [{ domain: PARENT, names: ['parent_dom'] }] } });
    expect(listed(await all())).toEqual(EXPECTED_LEFT);

    // Storage is per origin: only app's went.
    const stored: Record<string, string | null> = {};
    for (const h of HOSTS) {
      await page.goto(`http://${h}:${site.port}/`);
      stored[h] = await page.evaluate(() => localStorage.getItem('k'));
    }
    expect(stored).toEqual({ [PARENT]: PARENT, [APP]: null, [`mail.${PARENT}`]: `mail.${PARENT}`, [`x.${APP}`]: `x.${APP}` });

    // The person reads it in the audit log.
    await options.goto(options.url().replace(/#.*$/, '') + '#audit');
    await expect.poll(() => options.locator('[data-shared-cookies]').first().textContent()).toContain(`“parent_dom” of ${PARENT}`);
  });
});

describe('Firefox: signing out of one app leaves its siblings signed in', () => {
  const DIST = resolve(import.meta.dirname, '../../dist-e2e-firefox');
  let site: Awaited<ReturnType<typeof startHosts>>;
  let browser: Firefox;
  let popup: FirefoxPage;
  beforeAll(async () => {
    site = await startHosts();
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', headless: true });
    await browser.installExtension(DIST);
    for (let i = 0; i < 100 && !popup; i++) {
      for (const p of await browser.pages()) {
        if ((await p.evaluate(() => location.href).catch(() => '')).endsWith('/popup.html')) popup = p;
      }
      if (!popup) await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('removes exactly the cookies app’s pages send, and names the shared cookie', async () => {
    const page = await browser.newPage();
    for (const h of HOSTS) await page.goto(`http://${h}:${site.port}/set`);
    const all = () => popup.evaluate(async () => (await (globalThis as any).browser.cookies.getAll({})).map((c: CookieLike) => ({ domain: c.domain, name: c.name })));
    expect(listed(await all())).toHaveLength(9);

    const result = await popup.evaluate(async (url) => {
      const send = (type: string, body: unknown) => (globalThis as any).browser.runtime.sendMessage({ type, body });
      const link = await send('accounts/link', { connectorId: 'generic', url, settings: {} });
      if (!link.ok) return { link };
      const revoke = await send('sessions/revoke', { accountId: link.value.account.id, target: 'all', reason: { kind: 'shared-computer' } });
      return { link, revoke };
    }, `http://${APP}:${site.port}`);
    expect(result.revoke, JSON.stringify(result)).toMatchObject({ ok: true, value: { status: 'not-confirmed', seen: expect.stringMatching(/was not asked to end the session/), sharedCookies: [{ domain: PARENT, names: ['parent_dom'] }] } });
    expect(listed(await all())).toEqual(EXPECTED_LEFT);

    // Measured, not assumed: Firefox's browsingData with `hostnames` left the other hosts' storage
    // alone. (App's own localStorage on this http origin with a port was still there too in
    // Firefox 153 ESR: see docs/design.md; not asserted either way here.)
    const stored: Record<string, string | null> = {};
    for (const h of HOSTS.filter((h) => h !== APP)) {
      await page.goto(`http://${h}:${site.port}/`);
      stored[h] = await page.evaluate(() => localStorage.getItem('k'));
    }
    expect(stored).toEqual({ [PARENT]: PARENT, [`mail.${PARENT}`]: `mail.${PARENT}`, [`x.${APP}`]: `x.${APP}` });
  });
});
