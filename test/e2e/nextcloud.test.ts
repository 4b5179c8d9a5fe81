/**
 * The offscreen path of ctx.selectHtml in real Chromium: a Nextcloud loopback server (the unit
 * tests' own, test/connectors/servers/nextcloud.ts) signed in through its login form, linked from
 * the options page, and its sessions listed in the popup. Listing means parsing the security page,
 * which Chrome's worker can only do in its offscreen document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextcloud, type NextcloudServer } from '../connectors/servers/nextcloud';
import { launch, removeProfile, type Launched } from './harness';

const PHONE = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

describe('Nextcloud in Chromium', () => {
  let nc: NextcloudServer;
  let b: Launched;

  beforeAll(async () => {
    // Its own cookie site (cookies are not port-scoped): *.localhost is loopback in Chromium.
    nc = await startNextcloud({ siteHost: 'nextcloud.localhost' });
    nc.signInElsewhere('alice', PHONE);
    b = await launch();
    const page = await b.ctx.newPage();
    await page.goto(`${nc.origin}/index.php/login`);
    await page.getByLabel('Account name').fill('alice');
    await page.getByLabel('Password').fill('alice-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/apps\/dashboard\/$/);
    await page.close();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await nc?.close();
  });

  it('links an instance and lists its sessions, read from the security page in the offscreen document', async () => {
    const options = await b.page('options.html#accounts');
    await options.getByLabel('Service').selectOption({ label: 'Nextcloud' });
    await options.locator('input[name=url]').fill(nc.origin);
    await options.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => options.getByRole('status').textContent()).toContain('Signed in as Alice Liddell (alice)');

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /Nextcloud/ });
    await expect.poll(() => group.locator('li.session').count()).toBe(2);
    expect(await group.getByText('This browser').count()).toBe(1);
    await group.getByText(/Android/).waitFor();
    // The worker has no DOM: the page was read in the offscreen document, closed again after use.
    expect(await b.sw.evaluate(() => typeof DOMParser)).toBe('undefined');
    expect(nc.wipeRequests).toEqual([]);
  });
});
