/**
 * Matrix in real Chromium: the loopback homeserver of the connector cases
 * (test/connectors/servers/matrix.ts), linked from the options page with a Matrix ID and the
 * password (Revoke signs in as its own device); the popup lists the devices, Revoke's own marked as
 * this browser, and ends another one with Revoke's password prompt (the homeserver's
 * user-interactive auth). The homeserver then refuses that device's token, and the password is
 * nowhere in the extension's storage.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMatrixHomeserver, type MatrixHomeserver } from '../connectors/servers/matrix';
import { dumpIndexedDb, launch, removeProfile, type Launched } from './harness';

const PASSWORD = 'alice-matrix-password';
const SHOTS = process.env.REVOKE_SHOTS;

describe('Matrix in Chromium', () => {
  let hs: MatrixHomeserver;
  let b: Launched;
  let phone: string;

  beforeAll(async () => {
    hs = await startMatrixHomeserver();
    phone = hs.signInElsewhere('alice', { displayName: 'Element on iPhone', ip: '198.51.100.7', seenAgoMs: 3_600_000 });
    hs.signInElsewhere('alice', { displayName: 'Element Desktop', ip: '203.0.113.4' });
    b = await launch();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await hs?.close();
  });

  const phoneToken = () => [...hs.tokens].find(([, device]) => device.endsWith(`|${phone}`))?.[0];

  it('links with the Matrix ID and password, then ends another device with the password prompt', async () => {
    const options = await b.page('options.html#accounts');
    await options.locator('select[name=connector]').selectOption('matrix');
    await options.locator('input[name=url]').fill(hs.origin);
    await options.locator('input[name=user]').fill(hs.userId('alice'));
    await options.locator('input[name=password]').fill(PASSWORD);
    await options.getByRole('button', { name: 'Link account' }).click();
    await options.locator('form [role=status]').filter({ hasText: /^Signed in as @alice:/ }).waitFor({ timeout: 15_000 });
    expect(hs.devices.size).toBe(3); // Revoke's own device joined the two
    const before = phoneToken();
    expect(before).toBeDefined();

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /Matrix/ });
    await expect.poll(() => group.locator('li.session').count(), { timeout: 15_000 }).toBe(3);
    expect(await group.locator('.this-browser').textContent()).toContain('Revoke (Chrome)');

    await group.getByRole('button', { name: /^End session: Element on iPhone/ }).click();
    const password = group.locator('input[type=password]');
    await password.waitFor();
    await shots(popup, 'popup-matrix-confirm');
    await password.fill(PASSWORD);
    await group.getByRole('button', { name: 'End session', exact: true }).click();
    const result = group.locator('[data-outcome="confirmed"]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toContain('Element on iPhone');

    // The homeserver ended the device and refuses its token; the others live on.
    expect([...hs.devices.values()].map((d) => d.displayName).sort()).toEqual(['Element Desktop', 'Revoke (Chrome)']);
    const answer = await fetch(`${hs.origin}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${before}` } });
    expect(answer.status).toBe(401);
    expect((await answer.json()).errcode).toBe('M_UNKNOWN_TOKEN');
    await expect.poll(() => group.locator('li.session').count()).toBe(2);

    // Used for that one request: the password is in none of the extension's stores.
    const stored = JSON.stringify(await dumpIndexedDb(popup)) +
      JSON.stringify(await popup.evaluate(async () => [await chrome.storage.local.get(null), await chrome.storage.session.get(null)]));
    expect(stored).not.toContain(PASSWORD);
  });
});

/** With REVOKE_SHOTS set: the page in light and dark, to be looked at. */
async function shots(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}
