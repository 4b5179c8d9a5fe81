/**
 * "Link this account, from the tab": a loopback Discourse forum (test/connectors/servers/
 * discourse.ts, under a subfolder) open in a tab; the popup, opened over it, offers to link it;
 * one click links it, and the forum's sessions are listed. A page that is no forum gets no offer.
 * The test build's host permissions stand in for the activeTab grant a toolbar click gives, and
 * answer the permission request without a prompt.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscourseForum, type DiscourseForum } from '../connectors/servers/discourse';
import { popupOver as popupOverTab } from './flows';
import { launch, removeProfile, type Launched } from './harness';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

describe('linking the site of the current tab', () => {
  let forum: DiscourseForum;
  let b: Launched;

  const popupOver = (tab: Page) => popupOverTab(b, tab);

  beforeAll(async () => {
    forum = await startDiscourseForum({ basePath: '/forum' });
    forum.signIn('alice', PHONE, '203.0.113.7');
    b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    if (b) removeProfile(b.profile);
    await forum?.close();
  });

  it('offers nothing on a page no connector recognises, and asks that site for nothing', async () => {
    let requests = 0;
    const plain = http.createServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Plain</title><meta name="generator" content="Hugo 0.120">');
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.2', r));
    try {
      const tab = await b.ctx.newPage();
      await tab.goto(`http://127.0.0.2:${(plain.address() as AddressInfo).port}/`);
      await tab.waitForLoadState('networkidle');
      const before = requests;
      const popup = await popupOver(tab);
      await popup.getByText('No accounts linked yet.').waitFor();
      // What the popup's offer asks the background, answered for the tab in front: nothing.
      const answer = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'accounts/detect', body: null }));
      expect(answer).toEqual({ ok: true, value: null });
      expect(await popup.getByRole('button', { name: /^Link .* at / }).count()).toBe(0);
      expect(requests).toBe(before);
      await popup.close();
      await tab.close();
    } finally {
      plain.close();
    }
  });

  it('offers the forum of the tab, links it in one click and lists its sessions', async () => {
    const tab = await b.ctx.newPage();
    await tab.goto(`${forum.origin}/__test/sign-in?user=alice`);
    await tab.goto(`${forum.origin}/forum/t/welcome/1`);
    const popup = await popupOver(tab);
    const host = new URL(forum.origin).host;
    const offer = popup.getByRole('button', { name: `Link Discourse forum at ${host}/forum` });
    await offer.waitFor();
    // REVOKE_SHOTS (a folder): the offer in light and dark, to be looked at.
    if (process.env.REVOKE_SHOTS) {
      for (const scheme of ['light', 'dark'] as const) {
        await popup.emulateMedia({ colorScheme: scheme });
        await popup.screenshot({ path: `${process.env.REVOKE_SHOTS}/popup-link-from-tab-${scheme}.png` });
      }
      await popup.emulateMedia({ colorScheme: null });
    }
    await offer.click();

    const group = popup.getByRole('region', { name: /Discourse/ });
    await expect.poll(() => group.locator('li.session').count(), { timeout: 15_000 }).toBe(2);
    expect(await group.getByText('This browser').count()).toBe(1);
    expect(await group.textContent()).toContain('Safari');
    expect(await offer.count()).toBe(0);

    // Linked with the subfolder the page gave, as an account of its own.
    const stored = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'sessions/overview', body: null }));
    expect(stored.value.map((v: { account: { connectorId: string; instanceUrl: string } }) => [v.account.connectorId, v.account.instanceUrl]))
      .toEqual([['discourse', `${forum.origin}/forum`]]);

    // Opened again on the same forum: it is linked, so nothing is offered.
    await popup.close();
    const again = await popupOver(tab);
    await again.getByRole('region', { name: /Discourse/ }).waitFor();
    await again.waitForTimeout(500);
    expect(await again.getByRole('button', { name: /^Link .* at / }).count()).toBe(0);
  });
});
