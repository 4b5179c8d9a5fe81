/**
 * A link the worker was stopped in the middle of, in a real browser: the account was stored and its
 * first check was still waiting on the app when Chromium stopped the worker. The next worker undoes
 * it before anything else runs (src/background/link-marks.ts): nothing half-linked stays in the
 * popup, in sign out everywhere or in the audit log, and linking again works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';
import { launch, removeProfile, stopServiceWorker, type Launched } from './harness';
import { linkAccount, signInToApp } from './flows';

const USER = { email: 'cut@revoke.test', password: 'cut-password-123' };

describe('a link cut short by a stopped worker', () => {
  let ba: BetterAuthTestServer;
  let b: Launched;
  let options: Page;

  beforeAll(async () => {
    ba = await startBetterAuth();
    await ba.createUser(USER.email, USER.password, 'Cut');
    b = await launch();
    await signInToApp(b.ctx, ba.origin, USER);
    options = await b.page('options.html#accounts');
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await ba?.close();
  });

  const linked = () => options.evaluate(async () => {
    const r = await chrome.runtime.sendMessage({ type: 'sessions/overview', body: null });
    return (r.value as { account: { id: string } }[]).map((v) => v.account.id);
  });
  const marks = () => options.evaluate(async () => (await chrome.storage.local.get('revoke:linking'))['revoke:linking'] as Record<string, unknown> | undefined);

  it('is undone when the next worker starts, and linking again works', async () => {
    // The first check's session list never answers in time: the link waits there.
    ba.delayPath('/list-sessions', 60_000);
    await options.getByLabel('Service').selectOption({ label: 'Apps built on better-auth' });
    await options.locator('input[name=url]').fill(`${ba.origin}/`);
    await options.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(async () => (await linked()).length, { timeout: 10_000 }).toBe(1);
    expect(Object.keys((await marks()) ?? {})).toEqual(await linked());

    await stopServiceWorker(b, options);
    ba.delayPath('/list-sessions', 0);
    // Any message starts the next worker; it settles the marked link before answering links or unlinks.
    await expect.poll(linked, { timeout: 10_000 }).toEqual([]);
    await expect.poll(marks).toEqual({});

    await options.reload();
    await linkAccount(options, 'Apps built on better-auth', `${ba.origin}/`);
    await expect.poll(() => options.getByRole('status').textContent()).toContain(`Signed in as ${USER.email}`);
    expect(await linked()).toHaveLength(1);
    expect(await marks()).toEqual({});
  });
});
