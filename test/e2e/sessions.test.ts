/**
 * Sessions as a person uses them: link a real better-auth app and two plain
 * sites, see the sessions, end one, sign out everywhere with one site down and
 * one slow, and survive the service worker being stopped in the middle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';
import { launch, removeProfile, stopServiceWorker, type Launched } from './harness';
import { linkAccount, signInToApp } from './flows';
import { startSite, type TestSite } from './sites';

const USER = { email: 'person@revoke.test', password: 'person-password-123' };
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><b>Bold</b> Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0';

const signInInBrowser = (b: Launched, ba: BetterAuthTestServer) => signInToApp(b.ctx, ba.origin, USER);
const link = linkAccount;

const userSessions = (ba: BetterAuthTestServer) => ba.listSessionsDirect(USER.email);

describe('sessions end to end', () => {
  let ba: BetterAuthTestServer;
  let slow: TestSite;
  let down: TestSite;
  let b: Launched;
  let options: Page;

  beforeAll(async () => {
    ba = await startBetterAuth();
    await ba.createUser(USER.email, USER.password, 'Person');
    await ba.signIn(USER.email, USER.password, IPHONE, '203.0.113.7');
    await ba.signIn(USER.email, USER.password, HOSTILE, '198.51.100.9');
    await ba.signIn(USER.email, USER.password, ANDROID, '2001:db8::5'); // better-auth keeps it /64-masked, written out in full
    slow = await startSite('127.0.0.2', { logoutDelayMs: 2500 });
    down = await startSite('127.0.0.3');
    b = await launch();
    await signInInBrowser(b, ba);
    const p = await b.ctx.newPage();
    await p.goto(`${slow.origin}/login?user=bob`);
    await p.goto(`${down.origin}/login?user=carol`);
    await p.close();
    options = await b.page('options.html#accounts');
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await Promise.all([ba?.close(), slow?.close(), down?.close()]);
  });

  it('links a better-auth app from the address a person sees, after checking who is signed in', async () => {
    await link(options, 'Apps built on better-auth', `${ba.origin}/`);
    await expect.poll(() => options.getByRole('status').textContent()).toContain(`Signed in as ${USER.email}`);
    await link(options, 'Any site', slow.origin, `${slow.origin}/logout`);
    await link(options, 'Any site', down.origin, `${down.origin}/logout`);
    expect(await options.locator('li[data-account-id]').count()).toBe(3);
  });

  it('links an app once, and offers "Link anyway" only for a site that is down now', async () => {
    const form = options.getByRole('form', { name: 'Link an account' });
    await options.getByLabel('Service').selectOption({ label: 'Apps built on better-auth' });
    // The API address of the app linked above, typed as the address bar shows it (no "http://"):
    // on loopback that means http, so it is the same app, already linked.
    await options.locator('input[name=url]').fill(ba.baseURL.replace(/^http:\/\//, ''));
    await options.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/is already linked/);
    expect(await form.getByRole('button', { name: 'Link anyway' }).count()).toBe(0);

    const closed = 'http://127.0.0.1:9/'; // the discard port: nothing listens there
    await options.locator('input[name=url]').fill(closed);
    await options.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/could not check http:\/\/127\.0\.0\.1:9 now.*Nothing was linked/);
    expect(await options.locator('li[data-account-id]').count()).toBe(3);
    await form.getByRole('button', { name: 'Link anyway' }).click();
    const added = options.locator('li[data-account-id]').filter({ hasText: '127.0.0.1:9' });
    await added.waitFor();
    expect(await added.textContent()).toMatch(/Could not reach/);
    options.once('dialog', (d) => void d.accept());
    await added.getByRole('button', { name: /^Unlink/ }).click();
    await expect.poll(() => options.locator('li[data-account-id]').count()).toBe(3);
  });

  it('refuses a plain site linked as a better-auth app, says why, offers no "Link anyway", and links nothing', async () => {
    const form = options.getByRole('form', { name: 'Link an account' });
    await options.getByLabel('Service').selectOption({ label: 'Apps built on better-auth' });
    await options.locator('input[name=url]').fill(slow.origin); // a plain cookie-login site: no better-auth API there
    await options.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => form.getByRole('alert').textContent())
      .toBe(`Revoke found no better-auth API at ${slow.origin} (nor at ${slow.origin}/api/auth). Give the app’s address as your browser shows it, or its auth API’s. Nothing was linked.`);
    expect(await form.getByRole('button', { name: 'Link anyway' }).count()).toBe(0);
    expect(await options.locator('li[data-account-id]').count()).toBe(3);
    expect(await options.locator('li[data-account-id]').filter({ hasText: 'better-auth' }).count()).toBe(1);
  });

  it('re-checks one account from the options list and shows where it stands now', async () => {
    // A host of its own (cookies are not port-scoped): the app's cookies on 127.0.0.1 would keep it "signed in".
    const site = await startSite('127.0.0.1', { siteHost: 'recheck.localhost' });
    const host = new URL(site.origin).host;
    try {
      const p = await b.ctx.newPage();
      await p.goto(`${site.origin}/login?user=dora`);
      await p.close();
      await link(options, 'Any site', site.origin, `${site.origin}/logout`);
      const row = options.locator('li[data-account-id]').filter({ hasText: host });
      await expect.poll(() => row.textContent()).toMatch(/Signed in/);
      // Signed out in a tab, outside Revoke (the site drops its cookie): only a new look can tell.
      const tab = await b.ctx.newPage();
      await tab.goto(`${site.origin}/logout`);
      await tab.close();
      expect(await row.textContent()).toMatch(/Signed in/);
      await row.getByRole('button', { name: `Re-check ${site.origin}` }).click();
      await expect.poll(() => row.textContent()).toContain('Not signed in on this browser.');
      options.once('dialog', (d) => void d.accept());
      await row.getByRole('button', { name: /^Unlink/ }).click();
      await expect.poll(() => options.locator('li[data-account-id]').count()).toBe(3);
    } finally {
      await site.close();
    }
  });

  it('shows the sessions in the popup, server fields as plain text', async () => {
    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /better-auth/ });
    await expect.poll(() => group.locator('li.session').count()).toBe(4);
    // One name for the account: who the service says is signed in, then the site.
    expect(await group.locator('h2').textContent()).toBe(`${USER.email} on ${new URL(ba.origin).host}`);
    // This browser's session first, set apart, with its own action.
    const mine = group.getByRole('group', { name: 'This browser' });
    expect(await mine.locator('li.session').count()).toBe(1);
    expect(await mine.getByText('This browser').count()).toBe(1);
    await mine.getByRole('button', { name: 'Sign out here' }).waitFor();
    expect(await group.locator('li.session').first().getByText('This browser').count()).toBe(1);
    // The IPv6 address better-auth stored in full (masked to its /64) reads compressed, as the network it is.
    const android = group.locator('li.session').filter({ hasText: /on Android/ });
    expect(await android.textContent()).toContain('2001:db8::/64');
    expect(await group.textContent()).not.toContain('0000');
    await group.getByText(/Safari .* on iOS/).waitFor();
    // The hostile user agent arrives as text: no element was made from it, no script ran.
    expect(await popup.locator('.sessions img, .sessions b').count()).toBe(0);
    expect(await popup.title()).toBe('Revoke');
    await popup.locator('li.session').filter({ hasText: 'Firefox' }).locator('button.session-main').click();
    await expect.poll(() => popup.locator('.details').textContent()).toContain('198.51.100.9');
    await popup.close();
  });

  it('ends one session and the server confirms it is gone', async () => {
    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const row = popup.locator('li.session').filter({ hasText: /Safari .* on iOS/ });
    await row.getByRole('button', { name: /^End session/ }).click();
    await row.getByLabel('Reason').selectOption('lost-device');
    await row.getByRole('button', { name: 'End session' }).click();
    // The ended session leaves the list; its confirmed result stays under the account, says what
    // ended where and how Revoke knows, and holds the keyboard focus (not the page body).
    const result = popup.getByRole('region', { name: /better-auth/ }).locator('[data-outcome="confirmed"]').filter({ hasText: /Safari .* on iOS/ });
    await result.waitFor();
    expect(await result.textContent()).toMatch(/^✓ Ended the session on Safari .* on iOS at 127\.0\.0\.1:\d+\. Revoke listed the sessions again and it is gone\.$/);
    await expect.poll(() => popup.locator('li.session').filter({ hasText: /Safari .* on iOS/ }).count()).toBe(0);
    await expect.poll(() => popup.evaluate(() => document.activeElement?.getAttribute('data-outcome') ?? document.activeElement?.tagName)).toBe('confirmed');
    expect(userSessions(ba).map((s) => s.userAgent)).not.toContain(IPHONE);
    expect(userSessions(ba)).toHaveLength(3);
    await popup.close();
  });

  it('past a day, when better-auth hides the other sessions: this browser shown, the others said hidden, and ended all the same', async () => {
    ba.makeSessionsStale(); // every session signed in two days ago: older than better-auth's fresh-session age
    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /better-auth/ });
    await expect.poll(() => group.textContent(), { timeout: 15_000 }).toContain('shows your other sessions only to a sign-in less than a day old');
    expect(await group.locator('li.session').count()).toBe(1);
    expect(await group.getByRole('group', { name: 'This browser' }).locator('li.session').count()).toBe(1);
    expect(await group.textContent()).not.toContain('No other sessions');
    if (process.env.REVOKE_SHOTS) {
      for (const scheme of ['light', 'dark'] as const) {
        await popup.emulateMedia({ colorScheme: scheme });
        await popup.screenshot({ path: `${process.env.REVOKE_SHOTS}/popup-others-hidden-${scheme}.png` });
      }
    }
    await group.getByRole('button', { name: 'End all others' }).click();
    await group.getByLabel('Reason').selectOption('lost-device');
    await group.getByRole('button', { name: 'End other sessions' }).click();
    // Ended on the server; Revoke cannot list them to check, and says so rather than "confirmed".
    const result = group.locator('[data-outcome="not-confirmed"]');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.textContent()).toContain('does not show your other sessions now, so Revoke could not check that they ended');
    expect(userSessions(ba)).toHaveLength(1);
    await popup.close();
  });

  it('signs out everywhere: the live sites confirmed, the site that is down named as failed', async () => {
    await down.close(); // the third site is now unreachable
    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    await popup.getByRole('button', { name: 'Sign out everywhere' }).click();
    const confirmBox = popup.getByRole('group', { name: 'Confirm sign out everywhere' });
    await confirmBox.getByRole('button', { name: 'Sign out everywhere' }).click();
    const summary = popup.getByRole('status', { name: 'Sign out everywhere result' });
    await summary.waitFor({ timeout: 30_000 });
    // Focus moves to the result; the lists show the new truth without a reload.
    await expect.poll(() => popup.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Sign out everywhere result');
    const group = popup.getByRole('region', { name: /better-auth/ });
    await expect.poll(() => group.textContent(), { timeout: 15_000 }).toContain('Not signed in on this browser.');
    expect(await group.locator('li.session').count()).toBe(0);
    // No button that needs a signed-in browser on an account signed out here.
    expect(await popup.getByRole('button', { name: 'Sign out of site' }).count()).toBe(0);
    expect(await popup.getByRole('button', { name: 'Sign out here' }).count()).toBe(0);

    expect(userSessions(ba)).toHaveLength(0);
    expect(slow.sessions.size).toBe(0);
    expect(slow.logoutCalls).toBe(1);
    const text = (await summary.textContent())!;
    expect(text).toMatch(/could not be reached/);
    expect(await summary.locator('[data-outcome="failed"]').count()).toBeGreaterThanOrEqual(1);
    // This browser holds no cookie of any of the three sites any more.
    const left = await b.sw.evaluate(async (urls) => (await Promise.all(urls.map((url) => chrome.cookies.getAll({ url })))).flat().map((c) => c.name),
      [ba.origin, slow.origin, down.origin]);
    expect(left).toEqual([]);
    await popup.close();
  });

  it('keeps every attempt in the audit log with its reason and outcome', async () => {
    await options.goto(options.url().replace(/#.*$/, '') + '#audit');
    await options.getByRole('heading', { name: 'Audit log' }).waitFor();
    const records = options.locator('ol[aria-label="Audit records"] > li');
    await expect.poll(() => records.count()).toBeGreaterThanOrEqual(2);
    const all = (await records.allTextContents()).join('\n');
    expect(all).toContain('Ended a session');
    expect(all).toContain('Lost or stolen device');
    expect(all).toContain('Shared computer');
    // The sign out everywhere is one entry, its steps as lines: every site, the one that was down named as failed.
    const job = records.filter({ has: options.locator('ul.audit-lines') });
    expect(await job.count()).toBe(1);
    expect(await job.locator('strong').first().textContent()).toBe('Sign out everywhere · 3 sites');
    const lines = job.locator('ul.audit-lines > li');
    expect(await lines.count()).toBeGreaterThanOrEqual(3);
    expect(await lines.filter({ hasText: '127.0.0.3' }).locator('[data-outcome="failed"]').count()).toBeGreaterThanOrEqual(1);
  });

  it('finishes sign out everywhere after the service worker is stopped halfway', async () => {
    await signInInBrowser(b, ba);
    const p = await b.ctx.newPage();
    await p.goto(`${slow.origin}/login?user=bob`);
    await p.close();
    expect(slow.sessions.size).toBe(1);
    const calls = slow.logoutCalls;

    const page = await b.page('options.html#accounts');
    // Fire and forget: the reply will never come, the worker is stopped below.
    void page.evaluate(() => chrome.runtime.sendMessage({ type: 'sessions/sign-out-everywhere', body: { reason: { kind: 'lost-device' } } })).catch(() => undefined);
    await expect.poll(() => slow.logoutCalls, { timeout: 10_000 }).toBe(calls + 1); // the slow logout is in flight
    await stopServiceWorker(b, page);
    expect(slow.sessions.size).toBe(1); // stopped before the slow site answered

    // Any event starts the worker again; on start it resumes the journaled job.
    await page.reload();
    await expect.poll(() => slow.sessions.size, { timeout: 20_000 }).toBe(0);
    expect(slow.logoutCalls).toBe(calls + 2); // the interrupted request, then the resumed one
    await expect.poll(() => userSessions(ba).length, { timeout: 20_000 }).toBe(0);
    await expect.poll(async () => {
      const records = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'audit/list', body: { limit: 20 } }));
      return (records.value as { reason: { kind: string }; jobId?: string }[]).filter((r) => r.reason.kind === 'lost-device' && r.jobId).length;
    }, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  });

  it('keeps the popup\'s copy of the overview: back when a worker starts without one, as after a browser start', async () => {
    const page = await b.page('options.html#accounts');
    const copy = () => page.evaluate(async () => (await chrome.storage.session.get('sessionsOverview')).sessionsOverview as { account: { id: string } }[] | undefined);
    await expect.poll(async () => (await copy())?.length, { timeout: 10_000 }).toBe(3);
    const before = (await copy())!.map((s) => s.account.id).sort();
    // A browser start empties storage.session; the worker starts again on the next event.
    await page.evaluate(() => chrome.storage.session.remove('sessionsOverview'));
    await stopServiceWorker(b, page);
    // A message that writes nothing: only the worker's start can put the copy back.
    await page.evaluate(() => chrome.runtime.sendMessage({ type: 'audit/list', body: { limit: 1 } }));
    await expect.poll(async () => (await copy())?.map((s) => s.account.id).sort(), { timeout: 10_000 }).toEqual(before);
    await page.close();
  });
});
