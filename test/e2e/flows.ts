/**
 * What a person does again and again across the end-to-end tests, written once: sign in to the
 * better-auth test app in a tab, link an account through the options page, create the vault.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { Launched } from './harness';

/** Signs this browser in to the better-auth test app through its own page, as a person would. */
export async function signInToApp(ctx: BrowserContext, appOrigin: string, user: { email: string; password: string }): Promise<void> {
  const page = await ctx.newPage();
  await page.goto(`${appOrigin}/`);
  await page.locator('input[name=email]').fill(user.email);
  await page.locator('input[name=password]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#out').filter({ hasText: user.email }).waitFor();
  await page.close();
}

/** Links an account in the options page's Accounts section and waits until it is listed. */
export async function linkAccount(options: Page, service: string, url: string, logoutUrl?: string): Promise<void> {
  await options.goto(options.url().replace(/#.*$/, '') + '#accounts');
  await options.getByLabel('Service').selectOption({ label: service });
  await options.locator('input[name=url]').fill(url);
  if (logoutUrl) await options.locator('input[name=logoutUrl]').fill(logoutUrl);
  await options.getByRole('button', { name: 'Link account' }).click();
  await options.locator('li[data-account-id]').filter({ hasText: new URL(url).host }).waitFor();
}

/** Creates the vault from the options page's Authenticator section (the page must be open there). */
export async function createVault(page: Page, password: string): Promise<void> {
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('heading', { name: 'Authenticator codes' }).waitFor();
}

/**
 * Opens the popup in its own window over `tab` (in front), on its Sessions tab: what a toolbar
 * click on that tab does, the test build's host permissions standing in for its activeTab grant.
 */
export async function popupOver(b: Launched, tab: Page): Promise<Page> {
  await tab.bringToFront();
  const opened = b.ctx.waitForEvent('page', (p) => p.url().endsWith('/popup.html'));
  await b.sw.evaluate(() => chrome.windows.create({ url: chrome.runtime.getURL('popup.html'), type: 'popup', width: 380, height: 600 }));
  const popup = await opened;
  await popup.getByRole('tab', { name: 'Sessions' }).click();
  return popup;
}
