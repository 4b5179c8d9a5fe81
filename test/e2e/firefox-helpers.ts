/**
 * Small helpers for the Firefox end-to-end test (puppeteer-core over WebDriver BiDi).
 * Firefox refuses a driver's navigation to moz-extension:// pages, so the test finds the pages the
 * extension opened itself (the test build's popup tab, the options tab the popup's buttons open).
 */
import type { Browser, Page } from 'puppeteer-core';
import type { BetterAuthTestServer } from '../servers/better-auth/server.mjs';

/**
 * The extension page at `path` (any #section). Its target URL reads about:blank over BiDi, so each
 * page is asked where it is; `except` skips pages already known (a second tab of the same page).
 */
export async function findPage(browser: Browser, path: string, except: Page[] = []): Promise<Page> {
  for (let i = 0; i < 100; i++) {
    for (const page of await browser.pages()) {
      if (except.includes(page)) continue;
      const where = await page.evaluate(() => ({ protocol: location.protocol, pathname: location.pathname })).catch(() => null);
      if (where?.protocol === 'moz-extension:' && where.pathname === path) return page;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the extension did not open ${path}`);
}

/** Waits until the first element matching `selector` has text matching `pattern`; returns that text. */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeout = 15_000): Promise<string> {
  const handle = await page.waitForFunction(
    (sel, source, flags) => {
      const text = document.querySelector(sel)?.textContent ?? '';
      return new RegExp(source, flags).test(text) ? text : false;
    },
    { timeout, polling: 100 },
    selector, pattern.source, pattern.flags,
  );
  return (await handle.jsonValue()) as string;
}

/** The clipboard as the page reads it (an extension page with clipboardRead needs no gesture). */
export function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Puts text on the clipboard, as copying something elsewhere would. */
export async function copyOwnText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
}

/** Polls `read` until it returns `expected` (or the time is up, then says what it saw last). */
export async function until<T>(read: () => Promise<T>, expected: T, timeout = 15_000): Promise<void> {
  const end = Date.now() + timeout;
  let seen: T | undefined;
  while (Date.now() < end) {
    seen = await read();
    if (seen === expected) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`expected ${JSON.stringify(expected)}, still ${JSON.stringify(seen)} after ${timeout} ms`);
}

/** Signs in on the test app's own page in a new tab of this browser, then closes the tab. */
export async function signInOnSite(browser: Browser, app: BetterAuthTestServer, email: string, password: string): Promise<void> {
  const page = await browser.newPage();
  await page.goto(`${app.origin}/`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button').click();
  await page.waitForFunction((e) => document.querySelector('#out')?.textContent?.includes(e), {}, email);
  await page.close();
}
