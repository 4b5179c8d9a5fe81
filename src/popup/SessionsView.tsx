/**
 * Linked accounts and their sessions: end one, end all others, sign out here or of a site, or
 * sign out everywhere. Everything a server sent is rendered as text. After an action the account's
 * list is read back from the background at once (it stored what its check observed), then looked
 * at again; focus moves to the action's result, which is announced.
 */
import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import browser from '../lib/browser';
import { AppError, type AccountView, type Reason } from '../lib/messages';
import { newSessionIds, seenIds } from '../sessions/new-sessions';
import type { RevokeOutcome } from '../sessions/types';
import { call, errorText } from '../ui/client';
import { AccountGroup, accountKey, askKey, outcomeKey, sessionKey, type Outcome, type Pending } from './AccountGroup';
import { EverywherePanel } from './EverywherePanel';
import { PanicPanel } from './PanicPanel';

/** Opened by the panic shortcut: the panic confirm shows at once. */
const panicAsked = () => new URLSearchParams(location.search).has('panic');
import { focusByKey } from '../ui/focus';
import { LinkThisSite } from './LinkThisSite';
import { ProviderApps } from './ProviderApps';
import { isProvider, type AppToSignOut } from '../sessions/sign-in-through';
import { takeOverview } from './prefetch';
import { t, tp } from '../i18n/t';
import type { PointAt } from '../lib/notice-hint';

/** Account groups that fill the popup's first screen with room to spare. */
const FIRST_FRAME_ACCOUNTS = 6;

/** `pointAt`: the session a clicked watch notification told about: its row is brought into view, focused and marked. */
export function SessionsView({ pointAt = null }: { pointAt?: PointAt | null } = {}) {
  const [views, setViews] = useState<AccountView[] | null>(null);
  /** Accounts being checked now: each is asked on its own, so one slow site holds up no other. */
  const [checking, setChecking] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  /** Where focus goes after the next render (`n` makes the same place count again after a re-render). */
  const [focus, setFocus] = useState<{ key: string; n: number; fallback?: string } | null>(null);
  /** Per account, the sessions shown last time the popup was open: fixed while this popup lives, so badges stay. */
  const baseline = useRef(new Map<string, string[] | undefined>());
  const now = Date.now();
  // The first frame shows the accounts that fit the popup; the rest follow right after.
  const [accountLimit, setAccountLimit] = useState(FIRST_FRAME_ACCOUNTS);
  /** Providers whose apps were offered and signed out (the offer goes once taken). */
  const [appsDone, setAppsDone] = useState<ReadonlySet<string>>(new Set());
  /** The reason given for each account's last sign-out: a provider's apps are signed out for the same one. */
  const reasons = useRef(new Map<string, Reason>());

  useEffect(() => {
    if (focus && !focusByKey(document, focus.key) && focus.fallback) focusByKey(document, focus.fallback);
  }, [focus]);
  /** `fallback`: where focus goes when `key` is not on the page (say, the session left the list). */
  const focusOn = (key: string, fallback?: string) => setFocus((f) => ({ key, n: (f?.n ?? 0) + 1, ...(fallback ? { fallback } : {}) }));

  // Once the accounts are shown: the pointed-at account's group is rendered (whatever its place),
  // and focus goes to the session's row, or to the group when the session is no longer listed.
  const pointed = useRef(false);
  useEffect(() => {
    if (!pointAt || !views || pointed.current) return;
    const at = views.findIndex((v) => v.account.id === pointAt.accountId);
    if (at < 0) return;
    if (at >= accountLimit) return setAccountLimit(Infinity);
    pointed.current = true;
    if (pointAt.sessionId && focusByKey(document, sessionKey(pointAt.accountId, pointAt.sessionId))) return;
    focusByKey(document, accountKey(pointAt.accountId));
  }, [pointAt, views, accountLimit]);

  /** Checks one account again and shows its result as soon as it arrives; what it lists counts as seen. */
  async function refreshOne(accountId: string) {
    setChecking((c) => new Set(c).add(accountId));
    try {
      const [fresh] = await call('sessions/refresh', { accountIds: [accountId] });
      setViews((vs) => vs && (fresh ? vs.map((v) => (v.account.id === accountId ? fresh : v)) : vs.filter((v) => v.account.id !== accountId)));
      setError('');
      // A list that hides the others would make every one of them "New" once shown again.
      if (fresh?.result?.state === 'ok' && fresh.result.sessions && !fresh.result.hidden) {
        void call('sessions/seen', { accountId, ids: seenIds(fresh.result.sessions) }).catch(() => undefined); // only the next "New" badges depend on it
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setChecking((c) => {
        const next = new Set(c);
        next.delete(accountId);
        return next;
      });
    }
  }

  function refresh(list: AccountView[] | null = views) {
    for (const v of list ?? []) void refreshOne(v.account.id);
  }

  /** The cached view of every account, as the background keeps it (a sign-out updates it per account). */
  async function reloadOverview() {
    try {
      setViews(await call('sessions/overview', null));
    } catch {
      // Shown again on the next poll; the lists keep what they had.
    }
  }

  // A layout effect, as for the popup's snapshot: the overview, usually read by the time this view
  // mounts, reaches the first frame instead of the one after it.
  useLayoutEffect(() => {
    // Paint the last known state at once, then ask every site again.
    takeOverview().then((v) => {
      for (const view of v) baseline.current.set(view.account.id, view.seen);
      setViews(v);
      // Every account is asked again right after this frame: say so now, never "Up to date" for a cache.
      setChecking(new Set(v.map((view) => view.account.id)));
      // For the benchmark: the frame that paints the cached sessions (and how many).
      requestAnimationFrame(() => {
        performance.mark('revoke:sessions-painted', { detail: document.querySelectorAll('li.session').length });
        setTimeout(() => {
          setAccountLimit(Infinity);
          // Asked only now: one request per account, sent before the first frame, held it back.
          refresh(v);
        });
      });
    }, (e) => setError(errorText(e)));
  }, []);

  function cancel() {
    if (pending) focusOn(askKey(pending));
    setPending(null);
  }

  async function revoke(p: Pending, reason: Reason, password?: string) {
    setPending(null);
    reasons.current.set(p.accountId, reason);
    const key = outcomeKey(p.accountId, p.target);
    // Focus follows the result from "Ending…" to its outcome: the form that held it is gone.
    // The account's earlier results go: "only this browser's is left" would contradict a sign-out of the site after it.
    setOutcomes((o) => withOutcome(withoutFinished(o, p.accountId), key, { pending: p, outcome: 'working' }));
    focusOn(key);
    let outcome: RevokeOutcome;
    try {
      outcome = await call('sessions/revoke', { accountId: p.accountId, target: p.target, reason, ...(password ? { password } : {}) });
    } catch (e) {
      // A cut call may or may not have reached the site: say so, and let the fresh check below show what it did.
      outcome = e instanceof AppError && e.code === 'restarted'
        ? { status: 'not-confirmed', seen: t('sessions_restartedSeen') }
        : { status: 'failed', kind: 'server', message: errorText(e) };
    }
    setOutcomes((o) => withOutcome(o, key, { pending: p, outcome }));
    focusOn(key);
    await reloadOverview(); // what the check after the sign-out observed, stored by the background
    void refreshOne(p.accountId);
  }

  /** Signs this browser out of a provider's apps, all at once, each through its own sign-out. */
  function signOutApps(providerId: string, apps: AppToSignOut<AccountView['account']>[]) {
    // The offer follows the provider's own sign-out in this popup, whose reason the apps share
    // (without one there is nothing to record: "other" needs words, and the background refuses it bare).
    const reason = reasons.current.get(providerId);
    if (!reason) return;
    setAppsDone((d) => new Set(d).add(providerId));
    for (const app of apps) {
      void revoke({ accountId: app.account.id, target: app.target, what: t('what_thisBrowsersSession'), where: new URL(app.account.origin).host, here: true }, reason);
    }
  }

  /** The provider's last finished sign-out in this popup, if the offer of its apps is still open. */
  function providerSignOut(v: AccountView): RevokeOutcome | null {
    if (!isProvider(v.account) || appsDone.has(v.account.id)) return null;
    const last = results.filter(([, o]) => o.pending.accountId === v.account.id && o.outcome !== 'working').at(-1);
    return last ? (last[1].outcome as RevokeOutcome) : null;
  }

  /** "Known": the watch remembers the session's device and place; the overview drops its mark. */
  async function markKnown(accountId: string, sessionId: string) {
    try {
      await call('watch/known', { accountId, sessionId });
    } catch (e) {
      setError(errorText(e));
    }
    await reloadOverview();
    // The "Known" button is gone: focus stays on the session's row, or its account if it left the list.
    focusOn(sessionKey(accountId, sessionId), accountKey(accountId));
  }

  /** A site linked from the popup: its offer is gone, and focus goes to the account it added. */
  async function linked(accountId: string) {
    await reloadOverview();
    focusOn(accountKey(accountId));
  }

  /** Revoke's own sign-in (Matrix) again; the password goes with this one request. */
  async function signIn(accountId: string, password: string) {
    await call('accounts/sign-in', { accountId, password });
    await reloadOverview();
  }

  if (views === null) return <div class="pad" aria-busy="true">{error && <p class="error" role="alert">{error}</p>}</div>;
  if (views.length === 0) {
    return (
      <div class="pad stack">
        <LinkThisSite class="stack" onLinked={(id) => void linked(id)} />
        <p>{t('sessions_none')}</p>
        <p class="muted">{t('sessions_noneHint')}</p>
        <div><button class="primary" onClick={() => openOptions('accounts')}>{t('sessions_link')}</button></div>
        <PanicPanel askNow={panicAsked()} onFinished={() => void reloadOverview()} />
      </div>
    );
  }

  const results = Object.entries(outcomes);
  // "Up to date" only where every look worked: above a site that could not be reached it read as a contradiction.
  const failedLooks = views.filter((v) => v.result?.state === 'error').length;
  return (
    <div class="sessions">
      <EverywherePanel views={views} onTick={() => void reloadOverview()} onFinished={() => refresh()} />
      <PanicPanel slot="top" askNow={panicAsked()} onFinished={() => refresh()} />
      <LinkThisSite class="pad stack" onLinked={(id) => void linked(id)} />
      {error && <p class="error pad" role="alert">{error}</p>}
      <div class="row pad-x muted small">
        <span class="grow">{checking.size > 0 ? tp('sessions_checking', views.length, checking.size) : failedLooks > 0 ? tp('sessions_notChecked', failedLooks) : t('sessions_upToDate')}</span>
        <button class="link" onClick={() => refresh()} disabled={checking.size > 0}>{t('action_refresh')}</button>
      </div>
      {views.slice(0, accountLimit).map((v) => {
        const signedOut = providerSignOut(v);
        return (
          <Fragment key={v.account.id}>
            <AccountGroup view={v} now={now}
              outcomes={results.filter(([, o]) => o.pending.accountId === v.account.id)}
              fresh={newSessionIds(sessionsOf(v), baseline.current.get(v.account.id))}
              pending={pending?.accountId === v.account.id ? pending : null}
              pointedAt={pointAt?.accountId === v.account.id ? pointAt.sessionId : undefined}
              onAsk={setPending} onConfirm={revoke} onCancel={cancel} onSignIn={signIn} onKnown={markKnown} />
            {signedOut && <ProviderApps provider={v} views={views} outcome={signedOut} onSignOut={(apps) => signOutApps(v.account.id, apps)} />}
          </Fragment>
        );
      })}
      <PanicPanel slot="bottom" askNow={panicAsked()} onFinished={() => refresh()} />
    </div>
  );
}

/** The outcomes without the finished ones of an account (one still under way stays). */
function withoutFinished(all: Record<string, Outcome>, accountId: string): Record<string, Outcome> {
  return Object.fromEntries(Object.entries(all).filter(([, o]) => o.pending.accountId !== accountId || o.outcome === 'working'));
}

/** A result replaces the previous one for the same action; the newest comes last. */
function withOutcome(all: Record<string, Outcome>, key: string, o: Outcome): Record<string, Outcome> {
  const { [key]: _replaced, ...rest } = all;
  return { ...rest, [key]: o };
}

function sessionsOf(v: AccountView) {
  return (v.result?.state === 'ok' && v.result.sessions) || [];
}

function openOptions(section: string) {
  void browser.tabs.create({ url: browser.runtime.getURL(`options.html#${section}`) });
}
