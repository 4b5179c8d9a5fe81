/**
 * The watch in Chromium against a real better-auth app: a session created outside the browser is
 * noticed by the next audit (the watch's own alarm, brought forward: unpacked builds are not
 * clamped to a minute), a click on its notification opens the popup on that session, the
 * notification's "End it" ends it on the server, and the audit log says why; a stale-session rule
 * set in the options page ends an old session and not a fresh one, nor this browser's. The test
 * build's hook stands in for the notification's buttons and click, which a headless browser cannot press.
 * With REVOKE_SHOTS (a folder) set, the Watch section and the popup's mark are saved in light and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBetterAuth, type BetterAuthTestServer } from '../servers/better-auth/server.mjs';
import { launch, removeProfile, type Launched } from './harness';
import { linkAccount, signInToApp } from './flows';
import type { NoticeText } from '../../src/background/watch-notices';
import type { AuditRecord } from '../../src/sessions/types';
import type { WatchState } from '../../src/lib/messages';
import { WATCH_ALARM } from '../../src/background/watch-schedule';

const USER = { email: 'watch@revoke.test', password: 'watch-password-123' };
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0';
const DAY = 86_400_000;
const SHOTS = process.env.REVOKE_SHOTS;

type Hook = {
  pressNotificationButton(id: string, index: number): Promise<void>;
  clickNotification(id: string): Promise<void>;
  shownNotifications(): NoticeText[];
};

describe('the watch', () => {
  let ba: BetterAuthTestServer;
  let b: Launched;
  let options: Page;
  const shown = () => b.sw.evaluate(() => (globalThis as unknown as { revokeE2E: Hook }).revokeE2E.shownNotifications());
  const watchState = () => options.evaluate(async () => {
    const r = await chrome.runtime.sendMessage({ type: 'watch/state', body: null });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as WatchState;
  });
  /**
   * The scheduled audit as the schedule runs it: the watch's alarm fires (brought forward to now),
   * and the account's record shows the audit looked. What it then tells is waited for by each test.
   */
  async function alarmAudit(): Promise<WatchState['accounts'][number]> {
    const before = (await watchState()).accounts[0]?.lastRunAt ?? 0;
    await b.sw.evaluate((name) => chrome.alarms.create(name, { when: Date.now() + 500 }), WATCH_ALARM);
    await expect.poll(async () => (await watchState()).accounts[0]?.lastRunAt ?? 0, { timeout: 15_000 }).toBeGreaterThan(before);
    return (await watchState()).accounts[0]!;
  }
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

  it('learns the account on the first audit, fired by its alarm, and tells nothing', async () => {
    expect(await b.sw.evaluate((name) => chrome.alarms.get(name), WATCH_ALARM)).toMatchObject({ periodInMinutes: 360 });
    const first = await alarmAudit();
    expect(first.problem).toBeUndefined();
    expect(await shown()).toEqual([]);
  });

  it('notices a sign-in made outside the browser, marks it in the popup, and “End it” ends it on the server', async () => {
    await ba.signIn(USER.email, USER.password, IPHONE, '198.51.100.23');
    await alarmAudit();
    await expect.poll(async () => (await shown()).length).toBe(1);
    const host = new URL(ba.origin).host;
    const [notice] = await shown();
    expect(notice!.title).toBe(`New sign-in to ${USER.email} on ${host}`);
    expect(notice!.message).toMatch(/^From Safari [\d.]+ on iOS, 198\.51\.100\.23\.$/);
    expect(notice!.buttons).toEqual([{ title: 'That was me' }, { title: 'End it' }]);
    // The next audit does not tell it again: it tells only the next new sign-in (told in the same
    // pass as a repeat would be, so once it is there, a repeat would be too).
    await ba.signIn(USER.email, USER.password, WINDOWS, '198.51.100.99');
    await alarmAudit();
    await expect.poll(async () => (await shown()).length).toBe(2);
    expect((await shown())[1]!.message).toMatch(/^From Edge [\d.]+ on Windows, 198\.51\.100\.99\.$/);

    // A click on the notification (Firefox's way in, which has no buttons) opens the popup on that session.
    // The toolbar popup is out of the test's reach: the browser refuses it here, and the worker's
    // fallback opens popup.html in a tab, which reads the same hint.
    await b.sw.evaluate(() => {
      chrome.action.openPopup = () => Promise.reject(new Error('no toolbar popup in this test'));
    });
    const opened = b.ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/popup.html'), timeout: 15_000 });
    await b.sw.evaluate((id: string) => (globalThis as unknown as { revokeE2E: Hook }).revokeE2E.clickNotification(id), notice!.id);
    const popup = await opened;
    const row = popup.locator('li.session').filter({ hasText: /Safari .* on iOS/ });
    await expect.poll(() => popup.evaluate(() => document.activeElement?.closest('li.session')?.textContent ?? '')).toMatch(/Safari .* on iOS/);
    expect(await popup.getByRole('tab', { name: 'Sessions' }).getAttribute('aria-selected')).toBe('true');
    expect(await row.getAttribute('aria-current')).toBe('true');
    expect(await popup.locator('li.session.pointed').count()).toBe(1);
    await expect.poll(() => row.locator('.session-title').textContent()).toContain('Unrecognised');
    await row.getByRole('button', { name: /^Mark Safari .* on iOS as known/ }).waitFor();
    expect(await popup.locator('li.session').filter({ hasText: 'Unrecognised' }).count()).toBe(2);
    if (SHOTS) {
      for (const scheme of ['light', 'dark'] as const) {
        await popup.emulateMedia({ colorScheme: scheme });
        await popup.screenshot({ path: `${SHOTS}/popup-unrecognised-${scheme}.png` });
      }
    }
    await popup.close();

    await b.sw.evaluate((id: string) => (globalThis as unknown as { revokeE2E: Hook }).revokeE2E.pressNotificationButton(id, 1), notice!.id);
    expect(userAgents()).not.toContain(IPHONE);
    expect(userAgents()).toHaveLength(2); // this browser's and the Windows one
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
    await expect.poll(() => form.getByRole('status').textContent()).toBe(`Rules saved for ${USER.email} on ${new URL(ba.origin).host}.`);

    await ba.signIn(USER.email, USER.password, ANDROID, '203.0.113.40');
    await ba.signIn(USER.email, USER.password, LINUX, '203.0.113.41');
    expect(ba.ageSessions(ANDROID, 40 * DAY)).toBe(1);
    const before = (await shown()).length;
    await alarmAudit();
    // The rule's notice comes before the new sign-ins' in the same pass: both there means the audit is done.
    await expect.poll(async () => (await shown()).length, { timeout: 15_000 }).toBe(before + 2);
    expect(userAgents()).not.toContain(ANDROID);
    expect(userAgents()).toContain(LINUX);
    expect(userAgents()).toHaveLength(3); // the fresh one, the Windows one and this browser's
    const [record] = await auditLog();
    expect(record).toMatchObject({
      action: 'revoke-one', outcome: { status: 'confirmed' }, reason: { kind: 'rule', rule: 'Inactive for more than 30 days' },
      session: { os: 'Android' },
    });
    // The rule's notification says which rule and what it did; the fresh new sign-in is told as such.
    const texts = (await shown()).map((n) => `${n.title}: ${n.message}`);
    expect(texts.some((x) => /^A rule acted on .*: Inactive for more than 30 days: Ending the session on Chrome .* on Android, 203\.0\.113\.40 at .*: done\./.test(x))).toBe(true);
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
