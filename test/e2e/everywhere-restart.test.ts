/**
 * Sign out everywhere when the service worker is stopped in the middle, with the popup open: the
 * popup says the sign-out goes on, follows the job the restarted worker finishes, and shows the
 * true result. better-auth's "end all sessions" is held by the server, so the request the stopped
 * worker sent is still on its way when the resumed job sends it again; the first one to land ends
 * every session and the other hears "not signed in", which must count as confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';
import { launch, removeProfile, stopServiceWorker, type Launched } from './harness';
import { linkAccount, signInToApp } from './flows';
import { startSite, type TestSite } from './sites';

const USER = { email: 'restart@revoke.test', password: 'restart-password-123' };
const HELD_MS = 3000;

describe('sign out everywhere across a service worker restart', () => {
  let ba: BetterAuthTestServer;
  let site: TestSite;
  let b: Launched;

  beforeAll(async () => {
    ba = await startBetterAuth();
    await ba.createUser(USER.email, USER.password, 'Restart');
    await ba.signIn(USER.email, USER.password, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1');
    await ba.signIn(USER.email, USER.password, 'curl/8.5.0');
    site = await startSite('127.0.0.4');
    b = await launch();
    await signInToApp(b.ctx, ba.origin, USER);
    const p = await b.ctx.newPage();
    await p.goto(`${site.origin}/login?user=dana`);
    await p.close();
    const options = await b.page('options.html#accounts');
    await linkAccount(options, 'Apps built on better-auth', ba.baseURL);
    await linkAccount(options, 'Any site', site.origin, `${site.origin}/logout`);
    await options.close();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await Promise.all([ba?.close(), site?.close()]);
  });

  it('says the sign-out goes on, then shows the true result', async () => {
    expect(ba.listSessionsDirect(USER.email)).toHaveLength(3);
    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /better-auth/ });
    await expect.poll(() => group.locator('li.session').count()).toBe(3);

    ba.delayPath('/revoke-sessions', HELD_MS);
    await popup.getByRole('button', { name: 'Sign out everywhere' }).click();
    await popup.getByRole('group', { name: 'Confirm sign out everywhere' }).getByRole('button', { name: 'Sign out everywhere' }).click();
    const progress = popup.getByRole('status', { name: 'Sign out everywhere progress' });
    // The fast site finishes on its own while better-auth's request is held.
    await progress.filter({ hasText: '1 of 2 sites done' }).waitFor({ timeout: 10_000 });
    await progress.locator('li[data-step="server-sent"]').waitFor();
    await popup.waitForTimeout(300); // the request is at the server, held
    await stopServiceWorker(b, popup);
    expect(ba.listSessionsDirect(USER.email)).toHaveLength(3); // stopped before the held request was handled

    // The popup's call was cut; it says so in words, and follows the job the new worker resumes.
    await popup.getByText('Revoke’s background restarted; the sign-out goes on.').waitFor({ timeout: 10_000 });
    expect(await popup.getByText(/message channel closed|Receiving end does not exist/).count()).toBe(0);
    const summary = popup.getByRole('status', { name: 'Sign out everywhere result' });
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.locator('strong.grow').textContent()).toBe('2 confirmed');
    expect(await summary.locator('[data-outcome="failed"]').count()).toBe(0);
    expect(ba.listSessionsDirect(USER.email)).toHaveLength(0);
    expect(site.sessions.size).toBe(0);

    // The account lists show the sessions gone, not the old ones "checked just now".
    await expect.poll(() => group.locator('li.session').count()).toBe(0);
    await group.getByText('Not signed in on this browser.').waitFor();

    // The audit log says it was finished after the restart.
    const records = (await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'audit/list', body: { limit: 20 } }))).value as
      { action: string; origin: string; outcome: { status: string; seen?: string } }[];
    const server = records.filter((r) => r.action === 'sign-out-everywhere' && r.origin === ba.origin);
    expect(server).toHaveLength(1);
    expect(server[0]!.outcome.status).toBe('confirmed');
    // The resent request heard "not signed in": the one sent before the stop had ended every session.
    expect(server[0]!.outcome.seen).toMatch(/the request sent before the restart took effect/);

    // A popup opened later shows the last job's summary in one line, with its details on demand.
    await popup.close();
    const again = await b.page('popup.html');
    await again.getByRole('tab', { name: 'Sessions' }).click();
    await again.getByText(/^Last sign out everywhere: 2 confirmed \(just now\)$/).waitFor();
    await again.getByRole('button', { name: 'Details' }).click();
    await again.getByRole('status', { name: 'Sign out everywhere result' }).waitFor();
    await again.close();
  });
});
