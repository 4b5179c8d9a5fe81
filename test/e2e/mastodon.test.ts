/**
 * The Mastodon connector in real Chromium: the loopback Mastodon of the connector cases
 * (test/connectors/servers/mastodon.ts), signed in through its form, linked from the options page;
 * the popup lists its sessions (read in the offscreen document) and ends another device's session
 * with the Rails form, and the server no longer has it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMastodon, type MastodonServer } from '../connectors/servers/mastodon';
import { launch, removeProfile, type Launched } from './harness';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describe('Mastodon in Chromium', () => {
  let m: MastodonServer;
  let b: Launched;

  beforeAll(async () => {
    m = await startMastodon({ siteHost: 'mastodon.localhost' });
    m.signInElsewhere('alice@example.social', IPHONE, '198.51.100.23');
    b = await launch();
    const page = await b.ctx.newPage();
    await page.goto(`${m.origin}/auth/sign_in`);
    await page.locator('#user_email').fill('alice@example.social');
    await page.locator('#user_password').fill('alice-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${m.origin}/`);
    await page.close();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await m?.close();
  });

  it('links a server, lists its sessions with this browser marked, and ends the other one', async () => {
    const options = await b.page('options.html#accounts');
    await options.getByLabel('Service').selectOption({ label: 'Mastodon' });
    await options.locator('input[name=url]').fill(m.origin);
    await options.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => options.getByRole('status').textContent()).toContain('Signed in as alice@example.social');

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /Mastodon/ });
    await expect.poll(() => group.locator('li.session').count()).toBe(2);
    expect(await group.getByText('This browser', { exact: true }).count()).toBe(1);
    expect(await group.textContent()).toContain('Mastodon has no way to end this browser’s session from its list');
    const row = group.locator('li.session').filter({ hasText: /iOS/ });
    await row.getByRole('button', { name: /^End session/ }).click();
    await row.getByRole('button', { name: 'End session' }).click();
    await group.locator('[data-outcome="confirmed"]').waitFor();
    await expect.poll(() => group.locator('li.session').count()).toBe(1);
    expect(m.activations.map((a) => a.userAgent)).not.toContain(IPHONE);
    expect(m.activations).toHaveLength(1);
  });
});
