/**
 * The watch in Chromium against a real better-auth app: a session created outside the browser is
 * noticed by the next audit (the alarm's handler, fired through the test build's hook), the
 * notification's "End it" ends it on the server, and the audit log says why; a stale-session rule
 * set in the options page ends an old session and not a fresh one, nor this browser's.
 * With REVOKE_SHOTS (a folder) set, the Watch section and the popup's mark are saved in light and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';
import { launch, removeProfile, type Launched } from './harness';
import { linkAccount, signInToApp } from './flows';
import type { AccountAudit } from '../../src/sessions/watch-audit';
import type { NoticeText } from '../../src/background/watch-notices';
import type { AuditRecord } from '../../src/sessions/types';

const USER = { email: 'watch@revoke.test', password: 'watch-password-123' };
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const DAY = 86_400_000;
const SHOTS = process.env.REVOKE_SHOTS;

type Hook = {
  runWatch(trigger?: 'schedule' | 'startup'): Promise<AccountAudit[]>;
  pressNotificationButton(id: string, index: number): Promise<void>;
  shownNotifications(): NoticeText[];
};

describe('the watch', () => {
  let ba: BetterAuthTestServer;
  let b: Launched;
  let options: Page;
  const runWatch = () => b.sw.evaluate(() => (globalThis as unknown as { revokeE2E: Hook }).revokeE2E.runWatch());
  const shown = () => b.sw.evaluate(() => (globalThis as unknown as { revokeE2E: Hook }).revokeE2E.shownNotifications());
  const auditLog = () => options.evaluate(async () => {
    const r = await chrome.runtime.sendMessage({ type: 'audit/list', body: { limit: 20 } });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as AuditRecord[];
  });
  const userAgents = () => ba.listSessionsDirect(USER.email).map((s) => s.userAgent);

  beforeAll(async () => {
    ba = await startBetterAuth();
    await ba.createUser(USER.email, USER.password, 'Watcher');
    b = await launch();
    await signInToApp(b.ctx, ba.origin, USER);
    options = await b.page('options.html#accounts');
    await linkAccount(options, 'Apps built on better-auth', `${ba.origin}/`);
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await ba?.close();
  });

  it('learns the account on the first audit and tells nothing', async () => {
    const [first] = await runWatch();
    expect(first).toMatchObject({ state: 'ok', newSignIns: [], acted: [], problem: null });
    expect(await shown()).toEqual([]);
  });

  it('notices a sign-in made outside the browser, marks it in the popup, and “End it” ends it on the server', async () => {
    await ba.signIn(USER.email, USER.password, IPHONE, '198.51.100.23');
    const [audit] = await runWatch();
    expect(audit!.newSignIns).toHaveLength(1);
    const host = new URL(ba.origin).host;
    const [notice] = await shown();
    expect(notice!.title).toBe(`New sign-in to ${USER.email} on ${host}`);
    expect(notice!.message).toMatch(/^From Safari [\d.]+ on iOS, 198\.51\.100\.23\.$/);
    expect(notice!.buttons).toEqual([{ title: 'That was me' }, { title: 'End it' }]);
    // The next audit does not tell it again.
    await runWatch();
    expect(await shown()).toHaveLength(1);

    const popup = await b.page('popup.html');
    await popup.getByRole('tab', { name: 'Sessions' }).click();
    const row = popup.locator('li.session').filter({ hasText: /Safari .* on iOS/ });
    await expect.poll(() => row.locator('.session-title').textContent()).toContain('Unrecognised');
    await row.getByRole('button', { name: /^Mark Safari .* on iOS as known/ }).waitFor();
    expect(await popup.locator('li.session').filter({ hasText: 'Unrecognised' }).count()).toBe(1);
    if (SHOTS) {
      for (const scheme of ['light', 'dark'] as const) {
        await popup.emulateMedia({ colorScheme: scheme });
        await popup.screenshot({ path: `${SHOTS}/popup-unrecognised-${scheme}.png` });
      }
    }
    await popup.close();

    await b.sw.evaluate((id: string) => (globalThis as unknown as { revokeE2E: Hook }).revokeE2E.pressNotificationButton(id, 1), notice!.id);
    expect(userAgents()).not.toContain(IPHONE);
    expect(userAgents()).toHaveLength(1); // this browser's
    const told = (await shown()).at(-1)!;
    expect(told.message).toMatch(/^Ending the session on Safari .* on iOS, 198\.51\.100\.23 at 127\.0\.0\.1:\d+: done\. Revoke listed the sessions again and it is gone\.$/);
    const [record] = await auditLog();
    expect(record).toMatchObject({
      action: 'revoke-one', outcome: { status: 'confirmed' },
      reason: { kind: 'unrecognised', text: 'New sign-in notification: “End it”' },
      session: { ip: '198.51.100.23', os: 'iOS' },
    });
  });

  it('a stale-session rule set in the options page ends an old session, not a fresh one, and not this browser’s', async () => {
    await options.goto(options.url().replace(/#.*$/, '') + '#watch');
    const form = options.getByRole('form', { name: new RegExp(USER.email) });
    await form.getByRole('checkbox', { name: 'End other sessions inactive for more than' }).check();
    await form.locator('input[name=inactiveDays]').fill('30');
    await form.getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => options.getByRole('status').textContent()).toBe(`Rules saved for ${USER.email} on ${new URL(ba.origin).host}.`);

    await ba.signIn(USER.email, USER.password, ANDROID, '203.0.113.40');
    await ba.signIn(USER.email, USER.password, LINUX, '203.0.113.41');
    expect(ba.ageSessions(ANDROID, 40 * DAY)).toBe(1);
    const [audit] = await runWatch();
    expect(audit!.acted).toEqual([{ kind: 'end', rule: 'inactive', status: 'confirmed' }]);
    expect(userAgents()).not.toContain(ANDROID);
    expect(userAgents()).toContain(LINUX);
    expect(userAgents()).toHaveLength(2); // the fresh one and this browser's
    const [record] = await auditLog();
    expect(record).toMatchObject({
      action: 'revoke-one', outcome: { status: 'confirmed' }, reason: { kind: 'rule', rule: 'Inactive for more than 30 days' },
      session: { os: 'Android' },
    });
    // The rule's notification says what it did; the fresh new sign-in is told as such.
    const texts = (await shown()).map((n) => `${n.title}: ${n.message}`);
    expect(texts.some((x) => /^A rule acted on .*: Ending the session on Chrome .* on Android, 203\.0\.113\.40 at .*: done\./.test(x))).toBe(true);
    expect(texts.some((x) => /^New sign-in to .*: From Firefox .* on Linux, 203\.0\.113\.41\.$/.test(x))).toBe(true);

    // The rules stay as saved, and the section shows the last audit.
    await options.reload();
    await expect.poll(() => options.locator('input[name=inactiveDays]').inputValue()).toBe('30');
    await options.getByText(/^Last audit: /).waitFor();
    if (SHOTS) {
      for (const scheme of ['light', 'dark'] as const) {
        await options.emulateMedia({ colorScheme: scheme });
        await options.screenshot({ path: `${SHOTS}/options-watch-${scheme}.png`, fullPage: true });
      }
    }
  });
});
