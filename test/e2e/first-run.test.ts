/**
 * A new person's first minutes: the welcome page opens on install, links a first account (a real
 * better-auth app), the popup opens on Sessions while no authenticator exists, and the popup's
 * header opens the options page on the section it belongs to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';
import { launch, removeProfile, type Launched } from './harness';

const USER = { email: 'newcomer@revoke.test', password: 'newcomer-password-123' };

describe('first run', () => {
  let ba: BetterAuthTestServer;
  let b: Launched;
  let welcome: Page;

  beforeAll(async () => {
    ba = await startBetterAuth();
    await ba.createUser(USER.email, USER.password, 'Newcomer');
    b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await ba?.close();
  });

  it('opens the welcome page on install, saying what Revoke does', async () => {
    const url = `chrome-extension://${b.extensionId}/welcome.html`;
    // The worker opens it as it installs, a moment after the browser starts.
    await expect.poll(() => b.ctx.pages().map((p) => p.url()), { timeout: 15_000 }).toContain(url);
    welcome = b.ctx.pages().find((p) => p.url() === url)!;
    await welcome.getByRole('heading', { name: 'Welcome to Revoke' }).waitFor();
    expect(await welcome.locator('main').textContent()).toContain('shows where your accounts are signed in');
    // Exactly one: nothing else was opened for the person.
    expect(b.ctx.pages().filter((p) => p.url().startsWith(`chrome-extension://${b.extensionId}/`))).toHaveLength(1);
  });

  it('links a first account from the welcome page, from the address a person sees', async () => {
    const page = await b.ctx.newPage();
    await page.goto(`${ba.origin}/`);
    await page.locator('input[name=email]').fill(USER.email);
    await page.locator('input[name=password]').fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#out').filter({ hasText: USER.email }).waitFor();
    await page.close();

    await welcome.bringToFront();
    await welcome.getByLabel('Service').selectOption({ label: 'Apps built on better-auth' });
    await welcome.locator('input[name=url]').fill(`${ba.origin}/`);
    await welcome.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => welcome.getByRole('status').textContent()).toContain(`Signed in as ${USER.email}`);
    const linked = welcome.getByRole('list', { name: 'Linked accounts' }).locator('li');
    // Named as the popup and options page name it: who is signed in, then the site.
    await expect.poll(() => linked.locator('strong').allTextContents()).toEqual([`${USER.email} on ${new URL(ba.origin).host}`]);
  });

  it('offers the authenticator separately, on the options page', async () => {
    await welcome.getByRole('link', { name: 'Set up the authenticator' }).click();
    await welcome.waitForURL(/options\.html#authenticator$/);
    await welcome.getByRole('button', { name: 'Create vault' }).waitFor();
  });

  it('opens the popup on Sessions while no authenticator exists, showing the linked account', async () => {
    const popup = await b.page('popup.html');
    await expect.poll(() => popup.getByRole('tab', { selected: true }).textContent()).toBe('Sessions');
    await popup.locator('section.account-group').filter({ hasText: new URL(ba.origin).host }).waitFor();
    await popup.close();
  });

  it('opens the options section the person came for from the popup header, on either tab', async () => {
    const popup = await b.page('popup.html');
    const opened = async (name: string) => {
      const page = b.ctx.waitForEvent('page');
      await popup.getByRole('button', { name, exact: true }).click();
      const p = await page;
      await p.waitForLoadState();
      return p;
    };
    const accounts = await opened('Settings');
    expect(accounts.url()).toMatch(/options\.html#accounts$/);
    await accounts.getByRole('heading', { name: 'Linked accounts' }).waitFor();
    const audit = await opened('Audit log');
    expect(audit.url()).toMatch(/options\.html#audit$/);

    await popup.getByRole('tab', { name: 'Codes' }).click();
    await popup.getByRole('button', { name: 'Create vault' }).waitFor();
    const authenticator = await opened('Settings');
    expect(authenticator.url()).toMatch(/options\.html#authenticator$/);
    expect(await popup.getByRole('button', { name: 'Audit log', exact: true }).count()).toBe(1);
    for (const p of [accounts, audit, authenticator, popup]) await p.close();
  });

  it('opens options on Accounts when no section is named', async () => {
    const options = await b.page('options.html');
    await options.getByRole('heading', { name: 'Linked accounts' }).waitFor();
    expect(await options.getByRole('link', { name: 'Accounts' }).getAttribute('aria-current')).toBe('page');
    await options.close();
  });

  it('opens on Codes once a vault exists, the header still there while it is locked', async () => {
    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Codes' }).click();
    await popup.getByLabel('Password', { exact: true }).fill('first run vault 123');
    await popup.getByLabel('Confirm password').fill('first run vault 123');
    await popup.getByRole('button', { name: 'Create vault' }).click();
    await popup.getByText('No codes yet.').waitFor();
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    await popup.close();

    // The tab last used comes back now that the authenticator exists; Codes after using Codes.
    const again = await b.page('popup.html');
    await expect.poll(() => again.getByRole('tab', { selected: true }).textContent()).toBe('Sessions');
    await again.getByRole('tab', { name: 'Codes' }).click();
    await again.getByRole('button', { name: 'Lock', exact: true }).click();
    await again.getByRole('heading', { name: 'Revoke is locked' }).waitFor();
    await again.close();
    const locked = await b.page('popup.html');
    await expect.poll(() => locked.getByRole('tab', { selected: true }).textContent()).toBe('Codes');
    await locked.getByRole('heading', { name: 'Revoke is locked' }).waitFor();
    expect(await locked.getByRole('button', { name: 'Settings', exact: true }).count()).toBe(1);
    expect(await locked.getByRole('button', { name: 'Audit log', exact: true }).count()).toBe(1);
  });
});
