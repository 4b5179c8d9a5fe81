/**
 * A real OpenID Connect provider (npm oidc-provider, test/servers/oidc-provider) in real Chromium:
 * this browser signs in to a relying party through the provider's own sign-in and consent pages;
 * the provider is linked by its issuer address; "Sign out here" in the popup answers the
 * provider's sign-out confirmation. Then the provider's own session store holds no session, and
 * the relying party's next authorization request in a tab asks for a sign-in again. The relying
 * party (linked as "Any site", marked as signing in through the provider) keeps its own session
 * until the popup's offer signs it out too.
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

  it("signs out at the provider from the popup: its store holds no session, and the relying party's next sign-in asks for a login; then the app that signs in through it, in one step", async () => {
    await signInThroughProvider(b, op);
    expect(op.signedIn()).toEqual([{ id: expect.any(String), accountId: 'alice' }]);
    expect(op.rpSignedIn()).toEqual(['alice']);

    const options = await b.page('options.html');
    await linkAccount(options, 'OpenID Connect provider (single sign-on)', op.issuer);
    // The relying party, linked as "Any site", marked as signing in through the provider.
    await options.getByLabel('Service').selectOption({ label: 'Any site' });
    await options.locator('input[name=url]').fill(op.rpOrigin);
    await options.getByLabel('Signs in through (optional)').selectOption({ index: 1 });
    await options.getByRole('button', { name: 'Link account' }).click();
    const rpItem = options.locator('li[data-account-id]').filter({ hasText: new URL(op.rpOrigin).host });
    await rpItem.getByText(`Signs in through`).waitFor();
    expect(await rpItem.textContent()).toContain(new URL(op.issuer).host);
    await options.close();

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const region = popup.getByRole('region', { name: new RegExp(`OpenID.*${new URL(op.issuer).host.replace(/\./g, '\\.')}`) });
    await region.getByRole('button', { name: 'Sign out here' }).click();
    await shots(popup, 'oidc-confirm');
    await region.getByRole('button', { name: 'Sign out here' }).last().click();
    const result = region.locator('[data-outcome]:not([data-outcome="working"])').last();
    await result.waitFor({ timeout: 30_000 });
    const text = (await result.textContent()) ?? '';
    expect(await result.getAttribute('data-outcome'), text).toBe('confirmed');
    expect(text).toMatch(/answered “Yes, sign me out” on .*sign-out page \(\/session\/end\)\..*no longer asked/);

    // The provider's own store: no session with anyone signed in; this browser holds no session cookie of it.
    expect(op.signedIn()).toEqual([]);
    expect(await b.sw.evaluate((url) => chrome.cookies.getAll({ url }).then((l) => l.map((c) => c.name)), `${op.issuer}/`)).not.toContain('_session');
    // The app keeps its own session until asked: the popup offers it.
    expect(op.rpSignedIn()).toEqual(['alice']);
    const offer = popup.getByRole('group', { name: 'Apps that sign in through this provider' });
    await offer.getByText(new URL(op.rpOrigin).host).waitFor();
    await shots(popup, 'oidc-apps-offer');
    await offer.getByRole('button', { name: 'Sign out of them too' }).click();
    const rpRegion = popup.getByRole('region', { name: new RegExp(`Any site.*${new URL(op.rpOrigin).host.replace(/\./g, '\\.')}`) });
    const rpResult = rpRegion.locator('[data-outcome]:not([data-outcome="working"])').last();
    await rpResult.waitFor({ timeout: 45_000 });
    expect(await rpResult.getAttribute('data-outcome'), (await rpResult.textContent()) ?? '').toBe('confirmed');
    expect(op.rpSignedIn()).toEqual([]);
    expect(await offer.count()).toBe(0);
    await shots(popup, 'oidc-result');

    // The relying party's next authorization request: the provider asks for a sign-in again.
    const tab = await b.ctx.newPage();
    await tab.goto(`${op.rpOrigin}/login`);
    await tab.locator('input[name=login]').waitFor();
    expect(new URL(tab.url()).origin).toBe(op.issuer);
    expect(new URL(tab.url()).pathname).toMatch(/^\/interaction\//);
    await tab.close();
  }, 120_000);
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
