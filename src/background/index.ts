/**
 * The service worker: wires browser events to the vault and timers. It keeps
 * no state that must survive: the worker may be stopped at any moment.
 */
import browser from '../lib/browser';
import type { Runtime } from 'webextension-polyfill';
import { isRequest, type Reply } from '../lib/messages';
import { openVaultDb } from '../vault/store';
import { Vault } from '../vault/vault';
import { createAutoLock } from './autolock';
import { createClipboardWiper } from './clipboard';
import { clearClipboardIfHolds } from './clipboard-host';
import { sessionKeyCache } from './key-cache';
import { createHandlers, dispatch, type RouterDeps } from './router';
import { createSettingsStore } from './settings';

const vault = new Vault({ db: () => openVaultDb(), keyCache: sessionKeyCache(browser.storage.session) });
const settings = createSettingsStore(browser.storage.local);

const autoLock = createAutoLock({
  alarms: browser.alarms,
  now: Date.now,
  lockNow: async () => {
    await vault.lock();
    await autoLock.stop();
  },
});

const clipboard = createClipboardWiper({
  session: browser.storage.session,
  alarms: browser.alarms,
  now: Date.now,
  clearIfHolds: clearClipboardIfHolds,
});

const deps: RouterDeps = {
  vault,
  settings,
  onActivity: (s) => autoLock.touch(s),
  onUnlocked: (s) => autoLock.touch(s),
  onLocked: () => autoLock.stop(),
  scheduleClipboardClear: (text, seconds) => clipboard.schedule(text, seconds),
};
const handlers = createHandlers(deps);

const ownPages = browser.runtime.getURL('');

browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender): Promise<Reply> | undefined => {
  // Only Revoke's own pages may talk to the background; anything else is ignored.
  if (sender.id !== browser.runtime.id || !sender.url?.startsWith(ownPages)) return undefined;
  if (!isRequest(msg)) return undefined;
  return dispatch(handlers, deps, msg);
});

browser.alarms.onAlarm.addListener((alarm) => {
  void autoLock.onAlarm(alarm.name);
  void clipboard.onAlarm(alarm.name);
});

browser.idle.onStateChanged.addListener(async (state) => {
  await autoLock.onIdleState(state, await settings.get());
});

browser.commands.onCommand.addListener(async (command) => {
  if (command !== 'sign-out-everywhere') return;
  // Sessions and linked accounts arrive in a later release; say so plainly
  // instead of pretending that something was signed out.
  await browser.notifications.create('revoke/sign-out-everywhere', {
    type: 'basic',
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title: 'Revoke: nothing signed out',
    message: 'No accounts are linked yet, so there was nothing to sign out of. Link accounts in Revoke’s settings.',
  });
});
