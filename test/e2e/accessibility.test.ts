/**
 * The accessibility gate: axe-core (the engine behind Lighthouse's and browsers' audits) runs on
 * every page a person meets, in light and dark, and any violation fails the suite with what and
 * where. Pages are driven into each state as a person would get there: the welcome page, the options
 * page's sections, the popup's tabs, adding a code, and the lock screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';
import { launch, removeProfile, type Launched } from './harness';
import { violations } from './axe';

const PASSWORD = 'correct horse battery staple';
const clean = { light: [], dark: [] };

describe('accessibility (axe-core, light and dark)', () => {
  let b: Launched;
  let ba: BetterAuthTestServer;
  beforeAll(async () => {
    ba = await startBetterAuth();
    await ba.createUser('axe@revoke.test', 'axe-password-123');
    await ba.signIn('axe@revoke.test', 'axe-password-123', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1', '2001:db8::5');
    b = await launch();
    const app = await b.ctx.newPage();
    await app.goto(`${ba.origin}/`);
    await app.getByLabel('Email').fill('axe@revoke.test');
    await app.getByLabel('Password').fill('axe-password-123');
    await app.getByRole('button', { name: 'Sign in' }).click();
    await app.locator('#out').filter({ hasText: 'axe@revoke.test' }).waitFor();
    await app.close();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await ba?.close();
  });

  it('the welcome page a first install opens', async () => {
    const welcome = b.ctx.pages().find((p) => p.url().endsWith('/welcome.html')) ?? (await b.page('welcome.html'));
    await welcome.locator('main h1').waitFor();
    expect(await violations(welcome), 'welcome').toEqual(clean);
  });

  it('options: first run, then every section with an account linked and a code added', async () => {
    const options = await b.page('options.html#authenticator');
    await options.getByLabel('Confirm password').waitFor();
    expect(await violations(options), 'vault setup').toEqual(clean);
    await options.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await options.getByLabel('Confirm password').fill(PASSWORD);
    await options.getByRole('button', { name: 'Create vault' }).click();
    await options.getByRole('button', { name: 'Add a code' }).click();
    expect(await violations(options), 'add a code').toEqual(clean);
    await options.getByLabel('otpauth:// link').fill('otpauth://totp/Example:me@example.test?secret=JBSWY3DPEHPK3PXP&issuer=Example');
    await options.getByRole('button', { name: 'Add', exact: true }).click();
    await options.getByRole('status').filter({ hasText: 'Added Example' }).waitFor();
    expect(await violations(options), 'authenticator').toEqual(clean);

    await options.goto(options.url().replace(/#.*$/, '') + '#accounts');
    await options.getByLabel('Service').selectOption({ label: 'Apps built on better-auth' });
    await options.locator('input[name=url]').fill(`${ba.origin}/`);
    await options.getByRole('button', { name: 'Link account' }).click();
    await options.locator('li[data-account-id]').first().waitFor();
    expect(await violations(options), 'accounts').toEqual(clean);
    for (const section of ['import', 'watch', 'audit', 'security']) {
      await options.goto(options.url().replace(/#.*$/, '') + `#${section}`);
      // The watch section's rules come with its state: checked once they are there.
      await options.locator(section === 'watch' ? 'main form' : 'main h2').first().waitFor();
      expect(await violations(options), section).toEqual(clean);
    }
    // Panic, turned on (the test build holds the permission): its keep-list shows.
    await options.goto(options.url().replace(/#.*$/, '') + '#panic');
    await options.getByLabel('Panic is available').check();
    await expect.poll(() => options.getByLabel('Panic is available').isChecked()).toBe(true);
    await options.getByRole('group', { name: 'Sites to keep' }).waitFor();
    expect(await violations(options), 'panic').toEqual(clean);
    await options.close();
  });

  it('popup: codes, add a code, sessions, locked', async () => {
    const popup = await b.page('popup.html');
    await popup.setViewportSize({ width: 380, height: 560 });
    await popup.getByRole('tab', { name: 'Codes' }).click();
    await popup.locator('.otp').first().waitFor();
    expect(await violations(popup), 'codes').toEqual(clean);
    await popup.getByRole('button', { name: 'Add a code' }).first().click();
    await popup.getByRole('heading', { name: 'Add a code' }).waitFor();
    expect(await violations(popup), 'add a code').toEqual(clean);
    await popup.reload();
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    await popup.locator('li.session').first().waitFor();
    expect(await violations(popup), 'sessions').toEqual(clean);
    // Panic's confirm step (panic was turned on in the options test).
    await popup.getByRole('button', { name: 'Panic…' }).click();
    await popup.getByRole('group', { name: 'Confirm panic' }).waitFor();
    expect(await violations(popup), 'panic confirm').toEqual(clean);
    await popup.getByRole('group', { name: 'Confirm panic' }).getByRole('button', { name: 'Cancel' }).click();
    await popup.getByRole('tab', { name: 'Codes' }).click();
    await popup.getByRole('button', { name: 'Lock' }).click();
    await popup.getByRole('heading', { name: 'Revoke is locked' }).waitFor();
    expect(await violations(popup), 'locked').toEqual(clean);
  });
});
