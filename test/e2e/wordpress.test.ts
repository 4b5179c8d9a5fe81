/**
 * A real WordPress (Debian's 6.1, test/servers/wordpress) in real Chromium: this browser signed in
 * through wp-login.php and another cookie jar signed in from Node. From the popup, "End all
 * others" ends the other jar's session on the server and keeps this one; "Sign out of site" ends
 * this one, and a copy of its old cookies is then refused by WordPress itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, jarFetch } from '../connectors/cookie-jar';
import { signInWordPress, startWordPress, type WordPressSite } from '../servers/wordpress/wordpress';
import { popupOver } from './flows';
import { launch, removeProfile, type Launched } from './harness';

/** Its own port: the connector cases' WordPress is at 8791 (with PHP at 8891). */
const PORT = 8792;

/** Where a request with these cookies lands: 200 (signed in) or the 302 to wp-login.php. */
async function adminWith(site: WordPressSite, cookie: string): Promise<string> {
  const res = await fetch(`${site.base}/wp-admin/`, { headers: { cookie }, redirect: 'manual' });
  await res.text();
  return res.status === 200 ? '200' : `${res.status} ${res.headers.get('location') ?? ''}`;
}

describe('WordPress in Chromium', () => {
  let site: WordPressSite;
  let b: Launched;
  const otherJar = new CookieJar();

  beforeAll(async () => {
    site = await startWordPress(PORT);
    await site.clearSessions();
    b = await launch();
    const page = await b.ctx.newPage();
    await page.goto(`${site.base}/wp-login.php`);
    await page.getByLabel('Username or Email Address').fill(site.user);
    await page.getByLabel('Password', { exact: true }).fill(site.password);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(/\/wp-admin\/$/);
    await page.close();
    await signInWordPress(site, jarFetch(otherJar));
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await site?.stop();
  });

  const otherCookies = () => otherJar.all().map((c) => `${c.name}=${c.value}`).join('; ');

  it('ends the other sessions from the popup; the other jar is signed out, this browser is not', async () => {
    expect(await site.sessionHashes()).toHaveLength(2);
    expect(await adminWith(site, otherCookies())).toBe('200');
    // Linked from the tab: the popup over the site's front page recognises WordPress (its REST root link).
    const front = await b.ctx.newPage();
    await front.goto(`${site.base}/`);
    const popup = await popupOver(b, front);
    await popup.getByRole('button', { name: `Link WordPress at ${new URL(site.base).host}` }).click();
    await front.close();
    const group = popup.getByRole('region', { name: /WordPress/ });
    // WordPress says others exist without listing them: no invented rows.
    await group.getByText('WordPress says this account is signed in elsewhere too, but does not list where.').waitFor();
    expect(await group.locator('li.session').count()).toBe(1);
    await group.getByRole('button', { name: 'End all others' }).click();
    await group.getByRole('button', { name: 'End other sessions' }).click();
    await group.locator('[data-outcome="confirmed"]').waitFor({ timeout: 30_000 });

    expect(await site.sessionHashes()).toHaveLength(1);
    expect(await adminWith(site, otherCookies())).toMatch(/^302 .*\/wp-login\.php\?.*reauth=1/);
    const page = await b.ctx.newPage();
    await page.goto(`${site.base}/wp-admin/profile.php`);
    expect(new URL(page.url()).pathname).toBe('/wp-admin/profile.php');
    await page.getByText('You are only logged in at this location.').waitFor();
    await page.close();
  });

  it("signs out of the site from the popup; a copy of this browser's old cookie is refused", async () => {
    const saved = (await b.ctx.cookies(`${site.base}/wp-admin/`)).filter((c) => c.name.startsWith('wordpress_'));
    const replay = saved.map((c) => `${c.name}=${c.value}`).join('; ');
    expect(saved.some((c) => c.name.startsWith('wordpress_logged_in_'))).toBe(true);
    expect(await adminWith(site, replay)).toBe('200');

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /WordPress/ });
    await group.getByRole('button', { name: 'Sign out of site' }).click();
    await group.getByRole('button', { name: 'Sign out', exact: true }).click();
    await group.locator('[data-outcome="confirmed"]').waitFor({ timeout: 30_000 });

    expect(await site.sessionHashes()).toEqual([]);
    expect(await adminWith(site, replay)).toMatch(/^302 .*\/wp-login\.php\?.*reauth=1/);
    expect((await b.ctx.cookies(site.base)).filter((c) => c.name.startsWith('wordpress_logged_in_'))).toEqual([]);
  });
});
