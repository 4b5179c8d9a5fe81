/**
 * Google, Microsoft (work or school) and GitHub in real Chromium. accounts.google.com,
 * login.microsoftonline.com and github.com are mapped to the connector cases' loopback stand-ins
 * (test/connectors/servers/google.ts, microsoft.ts and github.ts, served over HTTPS here) with Chromium's own
 * switch --host-resolver-rules, so the extension talks to the real https origins unchanged: linked
 * from the options page, the popup says who is signed in as far as the provider tells, says plainly
 * that no app can list or end the other devices with the provider's own pages linked (for a work
 * account, the admin route too), and signs this browser out through the provider's sign-out. The
 * cookies come off a redirect that fetch does not follow (Google) or the "signed out" page
 * (Microsoft), which only a real browser shows, and Revoke then clears what is left. GitHub the
 * same way: signed in through its login form in a tab, its web sessions listed in the popup, another
 * one ended through the details page's Revoke session form (per-form authenticity token).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubCaseServer, type GitHubStandIn } from '../connectors/servers/github';
import { startGoogleCaseServer, type GoogleStandIn } from '../connectors/servers/google';
import { startMicrosoftCaseServer, type MicrosoftStandIn } from '../connectors/servers/microsoft';
import { violations } from './axe';
import { launch, removeProfile, type Launched } from './harness';

const SHOTS = process.env.REVOKE_SHOTS;

const HOSTS = ['accounts.google.com', 'login.microsoftonline.com', 'github.com'];

/** A throwaway self-signed certificate for the mapped hosts (Chromium is told to accept it). */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'revoke-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOSTS[0]}`,
      '-addext', `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(',')}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('hosted services in Chromium', () => {
  let google: GoogleStandIn;
  let entra: MicrosoftStandIn;
  let github: GitHubStandIn;
  let b: Launched;

  beforeAll(async () => {
    const tls = selfSigned();
    google = await startGoogleCaseServer({ tls });
    entra = await startMicrosoftCaseServer('work', { tls });
    github = await startGitHubCaseServer({ tls });
    const map = [[HOSTS[0], google], [HOSTS[1], entra], [HOSTS[2], github]] as const;
    const rules = map.map(([host, server]) => `MAP ${host} 127.0.0.1:${new URL(server.origin).port}`).join(', ');
    b = await launch(undefined, { args: [`--host-resolver-rules=${rules}`, '--ignore-certificate-errors'] });
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await google?.close();
    await entra?.close();
    await github?.close();
  });

  it('names the accounts signed in here, says other devices are out of any app\'s reach, and signs this browser out', async () => {
    const tab = await b.ctx.newPage();
    await tab.goto('https://accounts.google.com/__test/sign-in?emails=alice@gmail.com,alice@work.example');
    expect(google.sessionCount()).toBe(1);

    const options = await b.page('options.html#accounts');
    await options.locator('select[name=connector]').selectOption('google');
    await options.getByRole('button', { name: 'Link account' }).click();
    await options.locator('li[data-account-id]').filter({ hasText: 'Google' }).waitFor({ timeout: 15_000 });

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /Google/ });
    await group.getByText('alice@gmail.com, alice@work.example', { exact: false }).waitFor({ timeout: 15_000 });
    const note = group.locator('.elsewhere');
    expect(await note.textContent()).toContain('Google lets no app list or end the other devices this account is signed in on, Revoke included.');
    expect(await note.locator('a').getAttribute('href')).toBe('https://myaccount.google.com/device-activity');
    await shots(popup, 'popup-google');

    await group.getByRole('button', { name: 'Sign out of site' }).click();
    await group.getByRole('button', { name: 'Sign out', exact: true }).click();
    const result = group.locator('[data-outcome="confirmed"]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toContain('after the service accepted this browser’s sign-out; other devices were not touched.');
    // Google's session ended, and this browser holds none of its cookies.
    expect(google.sessionCount()).toBe(0);
    const left = await b.sw.evaluate(() => chrome.cookies.getAll({ domain: 'accounts.google.com' }));
    expect(left.map((c) => c.name)).toEqual([]);
    await shots(popup, 'popup-google-signed-out');
    await popup.close();
  });

  it('a work account: signed in by its session cookie, the admin route named and not offered, this browser signed out', async () => {
    const tab = await b.ctx.newPage();
    await tab.goto('https://login.microsoftonline.com/__test/sign-in');
    expect(entra.sessionCount()).toBe(1);

    const options = await b.page('options.html#accounts');
    await options.locator('select[name=connector]').selectOption('microsoft-work');
    await options.getByRole('button', { name: 'Link account' }).click();
    await options.locator('li[data-account-id]').filter({ hasText: 'Microsoft work or school account' }).waitFor({ timeout: 15_000 });

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /Microsoft work or school account/ });
    await group.getByText(/^Signed in \(this site does not list its sessions\)/).waitFor({ timeout: 15_000 });
    const note = group.locator('.elsewhere');
    expect(await note.textContent()).toContain('Microsoft lets no app list or end the other devices');
    expect(await note.textContent()).toContain('revokeSignInSessions. Revoke does not do that.');
    expect(await note.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      .toEqual(['https://mysignins.microsoft.com/my-sign-ins', 'https://mysignins.microsoft.com/security-info']);
    await shots(popup, 'popup-microsoft-work');

    await group.getByRole('button', { name: 'Sign out of site' }).click();
    await group.getByRole('button', { name: 'Sign out', exact: true }).click();
    const result = group.locator('[data-outcome="confirmed"]');
    await result.waitFor({ timeout: 20_000 });
    expect(entra.sessionCount()).toBe(0);
    const left = await b.sw.evaluate(() => chrome.cookies.getAll({ domain: 'login.microsoftonline.com' }));
    expect(left.map((c) => c.name)).toEqual([]);
  });
  it('GitHub: lists the web sessions from its settings page and ends another one through its Revoke session form', async () => {
    const tab = await b.ctx.newPage();
    await tab.goto('https://github.com/login');
    await tab.locator('#login_field').fill('alice');
    await tab.locator('#password').fill('alice-github-password');
    await tab.locator('input[type=submit]').click();
    await tab.getByRole('heading', { name: 'Dashboard' }).waitFor();
    github.signInElsewhere('alice', { browser: 'Safari', os: 'iOS', location: 'Lisbon, Portugal', ip: '198.51.100.23' });
    github.signInElsewhere('alice', { browser: 'Firefox', os: 'Linux', location: 'Berlin, Germany', ip: '203.0.113.7' });
    expect(github.sessionIds('alice')).toHaveLength(3);

    const options = await b.page('options.html#accounts');
    await options.locator('select[name=connector]').selectOption('github');
    await options.getByRole('button', { name: 'Link account' }).click();
    await options.locator('li[data-account-id]').filter({ hasText: 'GitHub' }).waitFor({ timeout: 15_000 });

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const group = popup.getByRole('region', { name: /GitHub/ });
    await expect.poll(() => group.locator('li.session').count(), { timeout: 15_000 }).toBe(3);
    expect(await group.locator('.this-browser').textContent()).toContain('Chrome');
    await shots(popup, 'popup-github');

    await group.getByRole('button', { name: /^End session: Safari/ }).click();
    await group.getByRole('button', { name: 'End session', exact: true }).click();
    const result = group.locator('[data-outcome="confirmed"]');
    await result.waitFor({ timeout: 20_000 });
    expect(github.sessionIds('alice')).toHaveLength(2);
    await expect.poll(() => group.locator('li.session').count()).toBe(2);
    // The popup with all three (the providers' notes among them) passes the accessibility gate.
    expect(await violations(popup)).toEqual({ light: [], dark: [] });
  });
});

/** With REVOKE_SHOTS set: the page in light and dark, to be looked at. */
async function shots(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: null });
}
