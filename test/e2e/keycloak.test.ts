/**
 * The Keycloak connector in real Chromium, where its token handshake depends on what a browser
 * does: the service worker's fetch follows the authorization endpoint's redirect with this
 * browser's KEYCLOAK_IDENTITY cookie and reads the code from the final URL's query (a fragment
 * would not be there). The loopback realm of the connector cases (test/connectors/servers/
 * keycloak.ts), signed in in a tab; the account linked from the options page with the console's
 * address; the popup lists the sessions and ends the other device's; no token Keycloak issued is
 * in any of the extension's stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeycloak, type KeycloakServer } from '../connectors/servers/keycloak';
import { launch, removeProfile, type Launched } from './harness';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describe('Keycloak in Chromium', () => {
  let kc: KeycloakServer;
  let b: Launched;

  beforeAll(async () => {
    // Its own cookie site (cookies are not port-scoped): *.localhost is loopback in Chromium.
    kc = await startKeycloak({ siteHost: 'keycloak.localhost' });
    kc.signInElsewhere('alice', IPHONE, '198.51.100.23');
    b = await launch();
    const page = await b.ctx.newPage();
    await page.goto(`${kc.origin}/__test/sign-in`);
    await page.close();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await kc?.close();
  });

  it('links a realm from its console address, lists its sessions and ends the other one, with tokens kept nowhere', async () => {
    const options = await b.page('options.html#accounts');
    await options.getByLabel('Service').selectOption({ label: 'Keycloak' });
    await options.locator('input[name=url]').fill(`${kc.issuer}/account/`);
    await options.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => options.getByRole('status').textContent(), { timeout: 15_000 }).toContain('Signed in as alice (alice@acme.test)');

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /Keycloak/ });
    await expect.poll(() => group.locator('li.session').count()).toBe(2);
    expect(await group.getByText('This browser', { exact: true }).count()).toBe(1);
    // REVOKE_SHOTS (a folder): the list in light and dark, to be looked at.
    if (process.env.REVOKE_SHOTS) {
      for (const scheme of ['light', 'dark'] as const) {
        await popup.emulateMedia({ colorScheme: scheme });
        await popup.screenshot({ path: `${process.env.REVOKE_SHOTS}/popup-keycloak-${scheme}.png` });
      }
      await popup.emulateMedia({ colorScheme: null });
    }
    const row = group.locator('li.session').filter({ hasText: /iOS/ });
    await row.getByRole('button', { name: /^End session/ }).click();
    await row.getByRole('button', { name: 'End session' }).click();
    await group.locator('[data-outcome="confirmed"]').waitFor();
    await expect.poll(() => group.locator('li.session').count()).toBe(1);
    expect([...kc.sessions.values()].map((s) => s.userAgent)).not.toContain(IPHONE);

    // Codes and access tokens were used for one operation each and kept nowhere.
    expect(kc.issued.length).toBeGreaterThan(0);
    const stored = await b.sw.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.session.get(null)]));
    for (const secret of kc.issued) expect(stored).not.toContain(secret);
  });
});
