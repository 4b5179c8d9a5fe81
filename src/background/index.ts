/**
 * The service worker: wires browser events to the vault, the session engine
 * and timers. It keeps no state that must survive: the worker may be stopped
 * at any moment (unfinished sign-outs are journaled and resumed on start).
 */
import type { Runtime } from 'webextension-polyfill';
import browser from '../lib/browser';
import { isRequest, type Reply } from '../lib/messages';
import { skewFromDate } from '../lib/clock-skew';
import { createConnectorContext } from '../connectors/context';
import type { LinkedAccountRef } from '../connectors/types';
import { connectorById } from '../connectors/registry';
import { createAccountStore } from '../sessions/accounts';
import { listenToOverviewWrites, openSessionsDb, sessionsConnection } from '../sessions/db';
import { createOverviewCopy } from './overview-copy';
import { createLinkMarks } from './link-marks';
import { createSessionEngine } from '../sessions/engine';
import type { JobSummary } from '../sessions/types';
import { openVaultDb } from '../vault/store';
import { Vault } from '../vault/vault';
import { createAutoLock } from './autolock';
import { createClipboardWiper } from './clipboard';
import { pagesOnInstalled } from './first-run';
import { createLocker, pageBroadcaster } from './lock';
import { clearClipboardIfHolds, selectHtml } from './dom-host';
import { sessionKeyCache } from './key-cache';
import { sessionAccountTokens } from './account-tokens';
import { CONNECTOR_VIEWS_KEY, type ConnectorView } from './account-view';
import { browserLocalState } from './local-state';
import { browserSiteTabs, siteTabRecord } from './site-tab';
import { createOriginRules, type SessionRulesApi } from './origin-rules';
import { createVaultHandlers, dispatch, type Handlers, type RouterDeps } from './router';
import { createSessionHandlers } from './session-handlers';
import { createPanicHandlers, type PanicDeps } from './panic-handlers';
import { createPanicSettings } from './panic-settings';
import { ALL_SITES } from '../lib/panic-permission';
import { browserSites } from './browser-sites';
import { createGrantWaiter } from './grant-wait';
import { currentTabPage } from './tab-page';
import { createSettingsStore } from './settings';
import { formatList, say, t } from '../i18n/t';
import { storedClockSkew } from './snapshot';
import { createAuditPruner } from './audit-pruning';
import { capabilitiesOf } from '../connectors/types';
import { createWatch } from '../sessions/watch-audit';
import { createWatchHandlers } from './watch-handlers';
import { createWatchNotices, type NoticeText } from './watch-notices';
import { createWatchSchedule, WATCH_ALARM } from './watch-schedule';
import { readAllWatch } from '../sessions/watch-store';
import { recordsRevision } from './records-revision';
import { leaveHint } from '../lib/notice-hint';
import { everywhereCounts } from '../i18n/counts';

const vault = new Vault({
  db: () => openVaultDb(),
  keyCache: sessionKeyCache(browser.storage.session),
  // The popup's copy of the records (src/ui/records-copy.ts) is trusted only at the current revision.
  recordsChanged: recordsRevision(browser.storage.session).bump,
});
const settings = createSettingsStore(browser.storage.local);

// Every way of locking (button, alarm, screen lock) goes through this one function.
const lockVault = createLocker({
  vault,
  stopAutoLock: () => autoLock.stop(),
  tellPages: pageBroadcaster(browser.runtime),
});
const autoLock = createAutoLock({ alarms: browser.alarms, now: Date.now, lockNow: lockVault });

const clipboard = createClipboardWiper({
  session: browser.storage.session,
  alarms: browser.alarms,
  now: Date.now,
  clearIfHolds: clearClipboardIfHolds,
});

// The popup's copy of the overview follows every write to it (overview-copy.ts); `engine` is read at call time.
const overviewCopy = createOverviewCopy({ session: browser.storage.session, read: () => engine.cached() });
const sessionsDb = sessionsConnection(async () => listenToOverviewWrites(await openSessionsDb(), overviewCopy));
const originRules = createOriginRules(browser.declarativeNetRequest as unknown as SessionRulesApi);
const localState = browserLocalState(browser);
const accountTokens = sessionAccountTokens(browser.storage.session);
const openSiteTabs = siteTabRecord(browser);
/** The context every connector call runs in: this browser's fetch (cookies travel), guarded. */
function contextFor(account: LinkedAccountRef, signal?: AbortSignal) {
  return createConnectorContext({
    // With the host permission, the site's cookies travel and CORS does not apply.
    fetch: async (url, init) => {
      if (__BROWSER__ === 'firefox') await originRules.ensure(account.origin);
      const sentAt = Date.now();
      const response = await fetch(url, { ...init, credentials: 'include' });
      void noteClock(response.headers.get('date'), sentAt, new URL(url).host);
      return response;
    },
    account,
    origins: connectorById(account.connectorId)?.meta.origins ?? [],
    local: localState,
    // The linked site's live page in a background tab, for a sign-out only its script carries out.
    tabs: browserSiteTabs(browser, account.origin, { record: openSiteTabs }),
    // Revoke's own sign-in (Matrix): the token the connector sends instead of cookies.
    ...(connectorById(account.connectorId)?.meta.signIn ? { token: accountTokens.forAccount(account.id) } : {}),
    selectHtml,
    ...(signal ? { signal } : {}),
  });
}
// What a sign-out observed is said in the browser's language, and kept in the audit log so.
const engine = createSessionEngine({ db: sessionsDb, connectorById, contextFor, words: say });
const accounts = createAccountStore({ db: sessionsDb, connectorById });
const auditPruner = createAuditPruner({
  db: sessionsDb, alarms: browser.alarms, now: Date.now, retentionDays: async () => (await settings.get()).auditRetentionDays,
});

// The watch: scheduled audits, new sign-in alerts and per-account rules (src/sessions/watch*.ts, rules.ts).
const watchShown: NoticeText[] = [];
const watchNotices = createWatchNotices({
  notifications: browser.notifications,
  iconUrl: browser.runtime.getURL('icons/icon-128.png'),
  buttons: __BROWSER__ !== 'firefox',
  // The toolbar popup in Chromium; Firefox opens it only inside a user action's handler, and its
  // list of those (MDN, "User actions") has no notification click, so there it is a tab. Either
  // reads the hint left for it.
  openPopup: async () => {
    try {
      await browser.action.openPopup();
    } catch {
      await browser.tabs.create({ url: browser.runtime.getURL('popup.html') });
    }
  },
  pointAt: (at) => leaveHint(browser.storage.session, at, Date.now()),
  ...(__E2E__ ? { shown: watchShown } : {}),
});
const canFor = (account: LinkedAccountRef) => {
  const c = connectorById(account.connectorId);
  return c && capabilitiesOf(c, account);
};
const watch = createWatch({ engine, db: sessionsDb, words: say, tell: watchNotices.tell, can: canFor });
const watchSchedule = createWatchSchedule({ area: browser.storage.local, alarms: browser.alarms });

/**
 * Every linked site's Date header doubles as a clock check for the authenticator.
 * Stored at most once a minute: a sign-out of twenty sites must not add twenty writes.
 */
let lastClockNote = 0;
async function noteClock(dateHeader: string | null, sentAt: number, host: string) {
  const skew = skewFromDate(dateHeader, sentAt, Date.now(), host);
  if (!skew || skew.at - lastClockNote < 60_000) return;
  lastClockNote = skew.at;
  await browser.storage.session.set({ clockSkew: skew });
}

/** Written only when they changed: the overview is asked for after every action in the popup. */
let connectorViewsWritten = '';
async function rememberConnectorViews(views: Record<string, ConnectorView>): Promise<void> {
  const json = JSON.stringify(views);
  if (json === connectorViewsWritten) return;
  await browser.storage.session.set({ [CONNECTOR_VIEWS_KEY]: views });
  connectorViewsWritten = json;
}

const deps: RouterDeps = {
  vault,
  settings,
  onActivity: (s) => autoLock.touch(s),
  onUnlocked: (s) => autoLock.touch(s),
  lock: lockVault,
  scheduleClipboardClear: (text, seconds) => clipboard.schedule(text, seconds),
  clockSkew: () => storedClockSkew(browser.storage.session),
  // A failed pruning does not fail the save: the daily alarm tries again.
  onSettingsSaved: () => auditPruner.pruneNow().then(() => undefined, () => undefined),
};
const panicDeps: PanicDeps = {
  engine,
  settings: createPanicSettings(browser.storage.local),
  sites: browserSites(browser, { firefox: __BROWSER__ === 'firefox' }),
  hasPermission: () => browser.permissions.contains({ origins: ALL_SITES }),
};
/** Links under way: the session handlers settle one a stopped worker left unchecked as they are made (link-marks.ts). */
const linkMarks = createLinkMarks({ storage: browser.storage.local, workerId: crypto.randomUUID() });
const handlers: Handlers = {
  ...createVaultHandlers(deps),
  ...createPanicHandlers(panicDeps),
  ...createSessionHandlers({
    engine,
    accounts,
    permissions: {
      contains: (pattern) => browser.permissions.contains({ origins: [pattern] }),
      whenGranted: createGrantWaiter({
        contains: (pattern) => browser.permissions.contains({ origins: [pattern] }),
        onAdded: (listener) => {
          browser.permissions.onAdded.addListener(listener);
          return () => browser.permissions.onAdded.removeListener(listener);
        },
      }),
      remove: async (pattern) => {
        // Fails for patterns the manifest grants outright (test builds); nothing to give back then.
        await browser.permissions.remove({ origins: [pattern] }).catch(() => false);
      },
    },
    contextFor: (account) => contextFor(account),
    currentTab: () => currentTabPage(browser),
    deviceName: `Revoke (${__BROWSER__ === 'firefox' ? 'Firefox' : 'Chrome'})`,
    rememberConnectorViews,
    linkMarks,
    ...(__BROWSER__ === 'firefox' ? { releaseOrigin: (origin: string) => originRules.remove(origin) } : {}),
  }),
  ...createWatchHandlers({ watch, schedule: watchSchedule, accounts, db: sessionsDb, can: canFor }),
};

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
  void auditPruner.onAlarm(alarm.name).catch(() => undefined);
  if (alarm.name === WATCH_ALARM) void watch.run('schedule');
});

// Firefox has no notification buttons (and may lack the event): guarded, so the worker still starts there.
browser.notifications.onButtonClicked?.addListener((id, index) => void watchNotices.onButton(watch, id, index));
browser.notifications.onClicked.addListener((id) => void watchNotices.onClick(watch, id));

// The schedule as set (an update or a cleared alarm list must not stop the audits).
void watchSchedule.sync();
// After a browser start storage.session is empty: until a write, every popup would read the database itself.
overviewCopy.fill().catch((e) => console.error('Revoke: could not fill the sessions overview copy', e));
// "Sign this browser out when it starts": only the accounts with that rule are looked at on start.
browser.runtime.onStartup.addListener(async () => {
  const records = await readAllWatch(await sessionsDb());
  const ids = [...records.values()].filter((r) => r.rules.signOutOnStart).map((r) => r.accountId);
  if (ids.length) await watch.run('startup', ids);
});

if (__E2E__) {
  // Test builds only: a headless browser cannot press a notification or its buttons, so the e2e
  // tests do it here and read what was shown; they fire the watch's real alarm for the audit.
  // `runWatch` is for the benchmark (bench/watch.ts), which times an audit to its end.
  Object.assign(globalThis, {
    revokeE2E: {
      runWatch: (trigger: 'schedule' | 'startup' = 'schedule') => watch.run(trigger),
      pressNotificationButton: (id: string, index: number) => watchNotices.onButton(watch, id, index),
      clickNotification: (id: string) => watchNotices.onClick(watch, id),
      shownNotifications: () => watchShown.slice(),
    },
  });
}

browser.idle.onStateChanged.addListener(async (state) => {
  await autoLock.onIdleState(state, await settings.get());
});

function summaryText(s: JobSummary): string {
  // Cookies shared with a parent domain went too: sites under it may be signed out as well.
  const domains = new Set(s.perAccount.flatMap((a) => [a.server, a.local]).flatMap((o) => (o === 'skipped' ? [] : o.sharedCookies ?? [])).map((c) => c.domain));
  const summary = t('notify_summary', everywhereCounts(s));
  return domains.size > 0 ? `${summary} ${t('notify_shared', formatList([...domains]))}` : summary;
}

async function notify(title: string, message: string) {
  await browser.notifications.create('revoke/sign-out-everywhere', {
    type: 'basic', iconUrl: browser.runtime.getURL('icons/icon-128.png'), title, message,
  });
}

browser.commands.onCommand.addListener(async (command) => {
  if (command === 'panic') return void (await panicShortcut());
  if (command !== 'sign-out-everywhere') return;
  // Runs without opening anything: the person may be in a hurry on a shared computer.
  if ((await accounts.list()).length === 0) {
    return notify(t('notify_nothing_title'), t('notify_nothing'));
  }
  const summary = await engine.signOutEverywhere({ kind: 'other', text: t('reason_keyboardShortcut') });
  await notify(t('notify_done_title'), summaryText(summary));
});

/**
 * The panic shortcut (unassigned until the person sets one) opens the popup's panic confirm in a
 * small window: panic clears every site, so it is asked once more, unlike sign out everywhere's
 * shortcut. With panic off, the same window offers the way to its settings.
 */
function panicShortcut() {
  return browser.windows.create({ url: browser.runtime.getURL('popup.html?panic'), type: 'popup', width: 380, height: 600 });
}

// Firefox's origin rules outlive the worker but not the browser, and may be from accounts since unlinked.
if (__BROWSER__ === 'firefox') void accounts.list().then((linked) => originRules.sync(linked.map((a) => a.origin)));

// A worker stopped in the middle of a sign-out in a background tab left the tab open; then a
// worker stopped in the middle of "sign out everywhere" finishes the job.
void openSiteTabs.closeLeftOver();
void engine.resumeUnfinished().then((done) => {
  for (const s of done) void notify(t('notify_resumed_title'), summaryText(s));
});

// The audit log keeps what its retention setting says, no more: a failed pruning is tried again tomorrow.
void auditPruner.start().catch(() => undefined);

browser.runtime.onInstalled.addListener(({ reason }) => {
  // Once, on the update that brought default-label marks: accounts linked before are named in the
  // reader's language too (only names depend on it, so a failure is let go).
  if (reason === 'update') void accounts.markDefaultLabels().catch(() => undefined);
  for (const page of pagesOnInstalled(reason, { e2eFirefox: __E2E__ && __BROWSER__ === 'firefox' })) {
    void browser.tabs.create({ url: browser.runtime.getURL(page) });
  }
});
