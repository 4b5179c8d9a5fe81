/**
 * One linked account in the popup: its name, this browser's session set apart with "Sign out
 * here", the other sessions by last activity (new ones marked), and the results of what was asked.
 * Buttons appear only where they can act: nothing that needs a signed-in browser on an account
 * that is signed out here or could not be checked.
 */
import { useState } from 'preact/hooks';
import type { AccountView, Reason } from '../lib/messages';
import type { Elsewhere, Session } from '../connectors/types';
import { displayIp } from '../lib/ipv6';
import { arrangeSessions } from '../sessions/session-order';
import type { RevokeOutcome } from '../sessions/types';
import { DeviceIcon, OutcomeLine, ReasonPicker, describeFailure, sessionTitle, viewName } from '../ui/session-bits';
import { formatDateTime, timeAgo } from '../ui/time';
import { Untrusted } from '../ui/Untrusted';
import { visibleText } from '../lib/untrusted-text';
import { say, t, tp } from '../i18n/t';
import { connectorName } from '../i18n/connector-text';
import { ConfirmPassword, SignInAgain } from './PasswordPrompt';

export type Target = { id: string } | 'others' | 'all';
/** An action asked for: `what` and `where` name it in its result, which outlives the session's row. */
export type Pending = { accountId: string; target: Target; what: string; where: string; here?: boolean };
export type Outcome = { pending: Pending; outcome: RevokeOutcome | 'working' };

/** New strings of this view, in one place for translation. */
const TEXT = {
  currentBySignOut: (service: string) => t('account_currentBySignOut', service),
  page: {
    activity: () => t('hosted_page_activity'),
    devices: () => t('hosted_page_devices'),
    security: () => t('hosted_page_security'),
  } satisfies Record<Elsewhere['pages'][number]['kind'], () => string>,
};

export const outcomeKey = (accountId: string, target: Target) => `${accountId}|${typeof target === 'string' ? target : target.id}`;
/** The account's heading: focus goes there when what the person was on leaves (a link, a session gone). */
export const accountKey = (accountId: string) => `account|${accountId}`;
/** A session's own button (its name): focus stays on the row when a button of the row goes ("Known"), and a clicked watch notification lands there. */
export const sessionKey = (accountId: string, sessionId: string) => `session|${accountId}|${sessionId}`;
/** The button that asks for an action (focus returns there when the person cancels). */
export const askKey = (p: Pick<Pending, 'accountId' | 'target'>) => `ask|${outcomeKey(p.accountId, p.target)}`;

export { sessionTitle };

/** Sessions the service says exist but does not list (WordPress): its words, not invented rows. */
export function unlistedText(service: string, unlisted: number | 'some'): string {
  return unlisted === 'some' ? t('account_unlistedSome', service) : tp('account_unlisted', unlisted, service);
}

export function AccountGroup({ view, now, outcomes, pending, fresh, pointedAt, onAsk, onConfirm, onCancel, onSignIn, onKnown }: {
  view: AccountView;
  /** The session a clicked watch notification told about: marked, and its row focusable by `sessionKey`. */
  pointedAt?: string | undefined;
  now: number;
  /** Results of this account's actions, oldest first. */
  outcomes: [string, Outcome][];
  pending: Pending | null;
  /** Sessions to mark as new (see sessions/new-sessions.ts). */
  fresh: ReadonlySet<string>;
  onAsk: (p: Pending) => void;
  /** `password`: typed in the confirm step where ending needs it (can.passwordToEnd). */
  onConfirm: (p: Pending, r: Reason, password?: string) => void;
  onCancel: () => void;
  /** Signs Revoke in again where it signs in itself (Matrix) and its sign-in ended. */
  onSignIn: (accountId: string, password: string) => Promise<void>;
  /** The person says a session is theirs (the watch remembers it, and its device and place). */
  onKnown: (accountId: string, sessionId: string) => void;
}) {
  const { account, connector, result } = view;
  const unrecognised = new Set(view.unrecognised ?? []);
  // No list before the watch's first look: that look takes every listed session as the person's.
  const known = view.known ? new Set(view.known) : null;
  const [password, setPassword] = useState('');
  const host = new URL(account.origin).host;
  // A failed look still shows what the last good one found, marked with its age.
  const stale = result?.state === 'error' ? view.lastKnown : undefined;
  const sessions = (result?.state === 'ok' && result.sessions) || stale?.sessions || [];
  const { current, others } = arrangeSessions(sessions);
  const unlisted = result?.state === 'ok' ? result.unlisted : undefined;
  // The service shows none of the others now (better-auth past a day): never "no other sessions".
  const hidden = result?.state === 'ok' ? result.hidden : stale?.hidden;
  const name = visibleText(viewName(view));
  // Every action below needs this browser signed in at the site (to list, or to send the request).
  const live = result?.state === 'ok';
  const ask = (target: Target, what: string, here = false): Pending => ({ accountId: account.id, target, what, where: host, here });
  const asking = (target: Target) => pending !== null && outcomeKey(pending.accountId, pending.target) === outcomeKey(account.id, target);
  // Sessions that read alike ("Unknown device" twice) get their place in their buttons' names, so a
  // screen reader can tell "End session: …" apart.
  const titles = sessions.map(sessionTitle);
  const twins = new Set(titles.filter((title, i) => titles.indexOf(title) !== i));
  const row = (s: Session) => {
    // This browser's own row is named as such in the result ("Ended this browser's session at …"), not
    // by its device, which some services call "This browser" themselves.
    const p = ask({ id: s.id }, s.current ? t('what_thisBrowsersSession') : t('what_session', sessionTitle(s)), s.current);
    return (
      // One mark per row: a session the watch does not recognise says so, whether or not it is new since the last look.
      <SessionRow key={s.id} session={s} now={now} isNew={fresh.has(s.id) && !unrecognised.has(s.id)} askKey={askKey(p)} twin={twins.has(sessionTitle(s))}
        focusKey={sessionKey(account.id, s.id)} pointed={pointedAt === s.id} unrecognised={unrecognised.has(s.id)}
        // Any other session the watch does not yet hold as the person's can be said to be (the watch
        // learns only from a listed session, so not from a stale list).
        canMarkKnown={live && !s.current && known !== null && !known.has(s.id)} onKnown={() => onKnown(account.id, s.id)}
        canEnd={live && connector.can.revokeOne} asking={asking(p.target)} needsPassword={!s.current && connector.can.passwordToEnd === true}
        note={s.current && connector.can.currentBySignOut ? TEXT.currentBySignOut(connectorName(connector)) : undefined}
        onAsk={() => onAsk(p)} onConfirm={(r, pw) => onConfirm(p, r, pw)} onCancel={onCancel} />
    );
  };
  return (
    <section class="account-group" aria-label={`${connectorName(connector)}: ${name}`} data-account-id={account.id}>
      <header class="row">
        <div class="grow">
          <h2 class="site wrap" tabIndex={-1} data-focus-key={accountKey(account.id)}><Untrusted text={name} /></h2>
          <div class="muted small">{connectorName(connector)}</div>
        </div>
        <a class="small" href={connector.manageUrl} target="_blank" rel="noreferrer noopener"
          title={t('account_sitePage_title')}>{t('account_sitePage')}</a>
      </header>
      {result === undefined && <p class="muted small">{t('account_notChecked')}</p>}
      {result?.state === 'signed-out' && (view.connector.signsIn
        ? <SignInAgain host={host} onSignIn={(pw) => onSignIn(account.id, pw)} />
        : <p class="muted small">{t('account_notSignedIn')}</p>)}
      {result?.state === 'error' && <p class="error small" role="alert">{describeFailure(result.kind, result.message, result.said)}</p>}
      {stale && <p class="muted small">{t('account_lastKnown', timeAgo(stale.fetchedAt, now))}</p>}
      {result?.state === 'ok' && !result.sessions && <p class="muted small">{t('account_signedInNoList', timeAgo(result.fetchedAt, now))}</p>}
      {current && (
        <div class="this-browser" role="group" aria-label={t('account_thisBrowser')}>
          <ul class="session-list">{row(current)}</ul>
        </div>
      )}
      {others.length > 0 && (
        <p class="muted small list-head">
          {t(current ? 'account_otherSessions' : 'account_sessions', others.length)}
          {result?.state === 'ok' && ` ${t('account_checked', timeAgo(result.fetchedAt, now))}`}
        </p>
      )}
      {others.length > 0 && <ul class="session-list">{others.map(row)}</ul>}
      {unlisted !== undefined && <p class="muted small unlisted">{unlistedText(connectorName(connector), unlisted)}</p>}
      {hidden && <p class="muted small unlisted" id={`hidden-${account.id}`}>{t(live && connector.can.revokeOthers ? 'account_othersHiddenEnd' : 'account_othersHidden', say(hidden))}</p>}
      {connector.elsewhere && <ElsewhereNote elsewhere={connector.elsewhere} />}
      {result?.state === 'ok' && result.sessions && others.length === 0 && unlisted === undefined && !hidden && <p class="muted small">{t('account_noOthers', timeAgo(result.fetchedAt, now))}</p>}
      {pending && typeof pending.target === 'string' && (
        <div class="stack confirm">
          <p><strong>{pending.target === 'others' ? t('confirm_endOthers') : t(connector.can.revokeOthers ? 'confirm_signOutEveryDevice' : 'confirm_signOutThisBrowser', host)}</strong></p>
          <ReasonPicker confirmLabel={t(pending.target === 'others' ? 'action_endOthers' : 'action_signOut')} danger
            onConfirm={(r) => { onConfirm(pending, r, password || undefined); setPassword(''); }} onCancel={() => { setPassword(''); onCancel(); }}>
            {pending.target === 'others' && connector.can.passwordToEnd && <ConfirmPassword value={password} onInput={setPassword} />}
          </ReasonPicker>
        </div>
      )}
      {/* One place for results, so a result stays (and keeps focus) when its session leaves the list. */}
      <div class="results" role="status">
        {outcomes.map(([k, o]) => <OutcomeLine key={k} focusKey={k} outcome={o.outcome} what={o.pending.what} where={o.pending.where} />)}
      </div>
      {live && !pending && (
        <div class="row actions">
          {connector.can.revokeOthers && (others.length > 0 || unlisted !== undefined || hidden) && (
            <button data-focus-key={askKey({ accountId: account.id, target: 'others' })} aria-describedby={hidden ? `hidden-${account.id}` : undefined} onClick={() => onAsk(ask('others', t('what_everyOtherSession')))}>{t('action_endAllOthers')}</button>
          )}
          {/* Every device where the service can end them all; else this browser only, unless its row offers that already. */}
          {(connector.can.revokeAll && connector.can.revokeOthers) || (!(current && connector.can.revokeOne) && (connector.can.revokeAll || connector.can.localSignOut)) ? (
            <button class="danger" data-focus-key={askKey({ accountId: account.id, target: 'all' })}
              onClick={() => onAsk(ask('all', t(connector.can.revokeOthers ? 'what_everySession' : 'what_thisBrowsersSession')))}>{t('action_signOutOfSite')}</button>
          ) : null}
        </div>
      )}
    </section>
  );
}

/**
 * For a service that lets no app list or end the other devices (Google, Microsoft): says so, with
 * the service's own pages, and for work accounts the admin route that would end every session.
 */
export function ElsewhereNote({ elsewhere }: { elsewhere: Elsewhere }) {
  return (
    <div class="elsewhere muted small stack">
      <p>{t('hosted_noDeviceList', elsewhere.provider)}</p>
      <p class="row">
        {elsewhere.pages.map((p) => (
          <a key={p.url} href={p.url} target="_blank" rel="noreferrer noopener">{TEXT.page[p.kind]()}</a>
        ))}
      </p>
      {elsewhere.admin === 'entra' && <p>{t('hosted_adminEntra')}</p>}
    </div>
  );
}

function SessionRow({ session, now, isNew, twin, unrecognised, canMarkKnown, askKey, focusKey, pointed, canEnd, asking, needsPassword, note, onAsk, onConfirm, onCancel, onKnown }: {
  /** Another listed session has the same title: the buttons' names add where it signed in from. */
  twin?: boolean;
  session: Session;
  /** The row's own focus key (SessionsView's sessionKey). */
  focusKey: string;
  /** The session a clicked notification told about. */
  pointed: boolean;
  /** From a device or place the watch does not recognise for the account (sessions/watch.ts). */
  unrecognised: boolean;
  /** Not yet remembered as the person's: "Known" is offered. */
  canMarkKnown: boolean;
  onKnown: () => void;
  /** Said under the row (how this browser's session ends at a service that lists no way to end it). */
  note?: string | undefined;
  askKey: string;
  now: number;
  isNew: boolean;
  canEnd: boolean;
  asking: boolean;
  /** Ending it asks for the account's password (Matrix's user-interactive auth). */
  needsPassword: boolean;
  onAsk: () => void;
  onConfirm: (r: Reason, password?: string) => void;
  onCancel: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const what = sessionTitle(session);
  const where = visibleText([session.location, session.ip && displayIp(session.ip)].filter(Boolean).join(' · '));
  const here = session.current;
  const named = twin && where ? `${what} (${where})` : what;
  return (
    <li class={['session', isNew && 'new', pointed && 'pointed'].filter(Boolean).join(' ')} data-session-id={session.id} aria-current={pointed ? 'true' : undefined}>
      <div class="row">
        <span class="device"><DeviceIcon session={session} /></span>
        <button class="session-main grow" data-focus-key={focusKey} aria-expanded={open} onClick={() => setOpen(!open)} title={t(open ? 'session_hideDetails' : 'session_showDetails')}>
          <span class="session-title">
            <span class="wrap"><Untrusted text={what} /></span>
            {here && what !== t('account_thisBrowser') && <span class="badge-this">{t('account_thisBrowser')}</span>}
            {isNew && <span class="badge-new" title={t('session_new_title')}>{t('session_new')}</span>}
            {unrecognised && <span class="badge-new" title={t('watch_unrecognised_title')}>{t('watch_unrecognised')}</span>}
          </span>
          <span class="muted small wrap">
            <Untrusted text={where} />{where && session.lastActiveAt ? ' · ' : ''}
            {session.lastActiveAt ? t('session_active', timeAgo(session.lastActiveAt, now)) : ''}
          </span>
        </button>
        {canMarkKnown && !asking && (
          <button class="small" onClick={onKnown} aria-label={t('watch_markKnown_label', named)}>{t('watch_markKnown')}</button>
        )}
        {canEnd && !asking && (
          <button class={here ? 'small danger' : 'small'} onClick={onAsk} data-focus-key={askKey}
            aria-label={here ? t('action_signOutHere') : t('action_endSession_label', named)}>{t(here ? 'action_signOutHere' : 'action_end')}</button>
        )}
      </div>
      {note && <p class="muted small">{note}</p>}
      {asking && (
        <div class="stack confirm">
          {here && <p class="small">{t('session_signOutHereHint')}</p>}
          <ReasonPicker confirmLabel={t(here ? 'action_signOutHere' : 'action_endSession')} danger defaultKind={here ? 'shared-computer' : 'unrecognised'}
            onConfirm={(r) => { onConfirm(r, password || undefined); setPassword(''); }} onCancel={() => { setPassword(''); onCancel(); }}>
            {needsPassword && <ConfirmPassword value={password} onInput={setPassword} />}
          </ReasonPicker>
        </div>
      )}
      {open && <SessionDetails session={session} />}
    </li>
  );
}

function SessionDetails({ session }: { session: Session }) {
  const rows: [string, string][] = [
    [t('detail_device'), session.device ?? ''], [t('detail_browser'), session.browser ?? ''], [t('detail_system'), session.os ?? ''],
    [t('detail_ip'), session.ip ? displayIp(session.ip) : ''], [t('detail_location'), session.location ?? ''],
    [t('detail_signedIn'), session.createdAt ? formatDateTime(session.createdAt) : ''],
    [t('detail_lastActive'), session.lastActiveAt ? formatDateTime(session.lastActiveAt) : ''],
    [t('detail_expires'), session.expiresAt ? formatDateTime(session.expiresAt) : ''],
    ...Object.entries(session.extra),
  ];
  return (
    <dl class="details">
      {rows.filter(([, v]) => v).map(([k, v]) => (<><dt><Untrusted text={k} /></dt><dd><Untrusted text={v} /></dd></>))}
    </dl>
  );
}
