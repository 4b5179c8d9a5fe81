/**
 * A real OpenID Connect provider (npm oidc-provider, test/servers/oidc-provider) in real Chromium:
 * this browser signs in to a relying party through the provider's own sign-in and consent pages;
 * the provider is linked by its issuer address; "Sign out here" in the popup answers the
 * provider's sign-out confirmation. Then the provider's own session store holds no session, and
 * the relying party's next authorization request in a tab asks for a sign-in again.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type OidcProviderTestServer } from '../servers/oidc-provider/server.mjs';
import { linkAccount } from './flows';
import { launch, removeProfile, type Launched } from './harness';

const SHOTS = process.env.REVOKE_SHOTS;

/** Signs this browser in at the relying party through the provider, as a person would. */
async function signInThroughProvider(b: Launched, op: OidcProviderTestServer): Promise<void> {
  const page = await b.ctx.newPage();
  await page.goto(`${op.rpOrigin}/login`);
  await page.locator('input[name=login]').fill('alice');
  await page.locator('input[name=password]').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => page.locator('#rp-user').textContent().catch(() => null)).toBe('alice');
  await page.close();
}

describe('OpenID Connect provider in Chromium', () => {
  let op: OidcProviderTestServer;
  let b: Launched;

  beforeAll(async () => {
    op = await startOidcProvider();
    b = await launch();
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await op?.close();
  });

  it("signs out at the provider from the popup: its store holds no session, and the relying party's next sign-in asks for a login", async () => {
    await signInThroughProvider(b, op);
    expect(op.signedIn()).toEqual([{ id: expect.any(String), accountId: 'alice' }]);

    const options = await b.page('options.html');
    await linkAccount(options, 'OpenID Connect provider (single sign-on)', op.issuer);
    await options.close();

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const region = popup.getByRole('region', { name: new RegExp(new URL(op.issuer).host.replace(/\./g, '\\.')) });
    await region.getByRole('button', { name: 'Sign out here' }).click();
    await shots(popup, 'oidc-confirm');
    await region.getByRole('button', { name: 'Sign out here' }).last().click();
    const result = region.locator('[data-outcome]:not([data-outcome="working"])').last();
    await result.waitFor({ timeout: 30_000 });
    const text = (await result.textContent()) ?? '';
    expect(await result.getAttribute('data-outcome'), text).toBe('confirmed');
    expect(text).toMatch(/answered “Yes, sign me out” on .*sign-out page \(\/session\/end\)\..*no longer asked/);
    await shots(popup, 'oidc-result');

    // The provider's own store: no session with anyone signed in.
    expect(op.signedIn()).toEqual([]);
    expect(await b.sw.evaluate((url) => chrome.cookies.getAll({ url }).then((l) => l.map((c) => c.name)), `${op.issuer}/`)).not.toContain('_session');

    // The relying party's next authorization request: the provider asks for a sign-in again.
    const tab = await b.ctx.newPage();
    await tab.goto(`${op.rpOrigin}/login`);
    await tab.locator('input[name=login]').waitFor();
    expect(new URL(tab.url()).origin).toBe(op.issuer);
    expect(new URL(tab.url()).pathname).toMatch(/^\/interaction\//);
    await tab.close();
  }, 90_000);
});

/** With REVOKE_SHOTS set: the popup in light and dark, to be looked at. */
async function shots(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}
