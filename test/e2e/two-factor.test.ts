/**
 * Both halves of Revoke in one flow: a better-auth app's two-factor secret goes
 * into Revoke's authenticator, the code the popup shows completes the sign-in,
 * and the signed-in session is then seen through the linked account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';
import { launch, removeProfile, type Launched } from './harness';
import { awayFromBoundary } from './totp-reference';

const USER = { email: 'two.factor@revoke.test', password: 'second-factor-pw-1' };


describe('two-factor sign-in with a code from Revoke', () => {
  let ba: BetterAuthTestServer;
  let b: Launched;
  beforeAll(async () => {
    ba = await startBetterAuth();
    await ba.createUser(USER.email, USER.password, 'Two Factor');
    b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await ba?.close();
  });

  it('enrols the app’s secret, signs in with the shown code, and lists that session', async () => {
    // The app's two-factor setup hands out an otpauth link (as its QR code would).
    const deviceCookie = await ba.signIn(USER.email, USER.password);
    const { totpURI } = await ba.enableTwoFactor(deviceCookie, USER.password);
    expect(totpURI).toMatch(/^otpauth:\/\/totp\//);

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Codes' }).click();
    await popup.getByLabel('Password', { exact: true }).fill('vault password 123');
    await popup.getByLabel('Confirm password').fill('vault password 123');
    await popup.getByRole('button', { name: 'Create vault' }).click();
    await popup.getByRole('button', { name: 'Add a code' }).first().click();
    await popup.getByLabel('otpauth:// link').fill(totpURI);
    await popup.getByRole('button', { name: 'Add', exact: true }).click();
    await popup.locator('.otp').first().waitFor();

    // Enrolment is confirmed with the code Revoke shows.
    await ba.verifyTotp(deviceCookie, (await popup.locator('.otp').first().getAttribute('data-code'))!);

    // Now sign in from this browser: password first, then the second factor from Revoke.
    const app = await b.ctx.newPage();
    await app.goto(`${ba.origin}/`);
    const first = await app.evaluate(async ([base, email, password]) => {
      const r = await fetch(`${base}/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      return r.json();
    }, [ba.baseURL, USER.email, USER.password]);
    expect(first).toMatchObject({ twoFactorRedirect: true });

    const wrong = await app.evaluate(async (base) => (await fetch(`${base}/two-factor/verify-totp`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: '000000' }) })).status, ba.baseURL);
    expect(wrong).toBeGreaterThanOrEqual(400);

    await awayFromBoundary(30, 4);
    const code = (await popup.locator('.otp').first().getAttribute('data-code'))!;
    const verified = await app.evaluate(async ([base, code]) => {
      const r = await fetch(`${base}/two-factor/verify-totp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      return { status: r.status, session: await (await fetch(`${base}/get-session`)).json() };
    }, [ba.baseURL, code]);
    expect(verified.status).toBe(200);
    expect(verified.session?.user?.email).toBe(USER.email);

    // The session this browser just made is the one Revoke marks as "this browser".
    const options = await b.page('options.html#accounts');
    await options.getByLabel('Service').selectOption({ label: 'Apps built on better-auth' });
    await options.locator('input[name=url]').fill(ba.baseURL);
    await options.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => options.getByRole('status').textContent()).toContain(`Signed in as ${USER.email}`);
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    await popup.getByText('This browser').waitFor();
  });
});
