import type { ComponentChildren } from 'preact';
/** Small pieces shared by the popup's sessions view and the options page. */
import { useState } from 'preact/hooks';
import type { FailureKind, Session } from '../connectors/types';
import type { AccountView, Reason } from '../lib/messages';
import type { RevokeOutcome } from '../sessions/types';
import { outcomeHead, type OutcomeSubject } from './outcome-text';
import { sharedCookiesText } from './shared-cookies-text';
import { GlobeIcon, LaptopIcon, PhoneIcon, TerminalIcon } from './icons';
import { Untrusted } from './Untrusted';
import { useFocusOnMount } from './focus';
import { visibleText } from '../lib/untrusted-text';
import { say, t, type MessageKey, type Said } from '../i18n/t';
import { accountName, type OnHost } from '../sessions/account-name';
import { connectorName } from '../i18n/connector-text';

const FAILURE_TEXT: Record<FailureKind, MessageKey> = {
  'signed-out': 'failure_signedOut',
  offline: 'failure_offline',
  timeout: 'failure_timeout',
  permission: 'failure_permission',
  'page-changed': 'failure_pageChanged',
  server: 'failure_server',
  forbidden: 'failure_forbidden',
  reauth: 'failure_reauth',
  unsupported: 'failure_unsupported',
};

/** "demo@example.com on app.example.com", in the browser's language (see sessions/account-name.ts). */
export const onHost: OnHost = (account, host) => t('account_onHost', account, host);

/** A linked account's one name on every page: who its last good check found signed in, else its label; then the site. */
export const viewName = ({ account, result }: Pick<AccountView, 'account' | 'result'>): string =>
  accountName(account, result?.state === 'ok' ? result.whoami.account : undefined, onHost);

/** " · Apps built on better-auth" after an account's name, unless the name says the service already ("Any site (host)"). */
export function ServiceAfter({ name, service }: { name: string; service: string }) {
  return name.startsWith(service) ? null : <> <span class="muted">· {service}</span></>;
}

/** A linked account's name, then its service where the name does not say it already. */
export function AccountTitle({ view }: { view: Pick<AccountView, 'account' | 'result' | 'connector'> }) {
  const name = viewName(view);
  return <><strong><Untrusted text={name} /></strong><ServiceAfter name={name} service={connectorName(view.connector)} /></>;
}

/** "Safari on iOS": the browser and system, else the device, as the server named them. */
export function sessionTitle(s: Pick<Session, 'browser' | 'os' | 'device'>): string {
  const named = s.browser && s.os ? t('session_browserOnOs', s.browser, s.os) : s.browser || s.os;
  return visibleText(named || s.device || t('session_unknownDevice'));
}

/**
 * The failure's kind as a head, then what the connector said: in this page's language when it said
 * it as a key (`said`), else its message. Either may quote the site's answer, so it goes through visibleText.
 */
export function describeFailure(kind: FailureKind, message: string, said?: Said): string {
  const head = t(FAILURE_TEXT[kind] ?? 'failure_server');
  const text = said ? say(said) : message;
  return text && text !== head ? t('failure_withMessage', head, visibleText(text)) : head;
}

/**
 * What OutcomeLine says, as plain text (what a search over the page looks in): the head, then how
 * Revoke knows or why it failed, then the shared cookies.
 */
export function outcomeLineText(outcome: RevokeOutcome, subject: OutcomeSubject): string {
  const rest = outcome.status === 'failed' ? describeFailure(outcome.kind, outcome.message, outcome.said) : outcome.seen;
  return [outcomeHead(outcome.status, subject), rest, sharedCookiesText(outcome.sharedCookies)].filter(Boolean).join(' ');
}

/**
 * A sign-out's result as sentences: what was ended and where (outcome-text.ts), then how Revoke
 * knows (`seen`, which may quote the server) or why it failed. `what` may hold server text.
 * `focusKey` marks the line so a view can move focus to it once the action is over.
 */
export function OutcomeLine({ outcome, focusKey, ...subject }: OutcomeSubject & { outcome: RevokeOutcome | 'working'; focusKey?: string }) {
  const head = <Untrusted text={outcomeHead(outcome === 'working' ? 'working' : outcome.status, subject)} />;
  const attrs = focusKey === undefined ? {} : { 'data-focus-key': focusKey, tabIndex: -1 };
  if (outcome === 'working') return <p class="muted small" data-outcome="working" {...attrs}>{head}</p>;
  return (
    <>
      {outcome.status === 'confirmed' && <p class="okay small" data-outcome="confirmed" {...attrs}>✓ {head} <Untrusted text={outcome.seen} /></p>}
      {outcome.status === 'not-confirmed' && <p class="notice small" data-outcome="not-confirmed" {...attrs}>⚠ {head} <Untrusted text={outcome.seen} /></p>}
      {outcome.status === 'failed' && (
        <p class="error small" data-outcome="failed" title={outcome.detail && visibleText(outcome.detail)} {...attrs}>
          ✗ {head} {describeFailure(outcome.kind, outcome.message, outcome.said)}
        </p>
      )}
      {outcome.sharedCookies?.length ? <p class="notice small" data-shared-cookies>⚠ <Untrusted text={sharedCookiesText(outcome.sharedCookies)} /></p> : null}
    </>
  );
}

export function DeviceIcon({ session: s }: { session: Pick<Session, 'device' | 'os' | 'browser'> }) {
  const text = `${s.device ?? ''} ${s.os ?? ''}`.toLowerCase();
  if (/phone|android|ios|iphone|ipad|tablet|mobile/.test(text)) return <PhoneIcon />;
  if (/windows|mac|linux|chrome ?os|desktop/.test(text)) return <LaptopIcon />;
  if (/curl|wget|python|bot|cli/.test(`${s.browser ?? ''}`.toLowerCase())) return <TerminalIcon />;
  return <GlobeIcon />;
}

const REASONS: { kind: Reason['kind']; label: MessageKey }[] = [
  { kind: 'unrecognised', label: 'reason_unrecognised' },
  { kind: 'lost-device', label: 'reason_lostDevice' },
  { kind: 'shared-computer', label: 'reason_sharedComputer' },
  { kind: 'other', label: 'reason_other' },
];

/** Asks why (kept in the audit log), then confirms. */
export function ReasonPicker({ confirmLabel, onConfirm, onCancel, danger, defaultKind = 'unrecognised', children }: {
  confirmLabel: string;
  /** More fields of the same confirm step (the password where a service asks for it), above its buttons. */
  children?: ComponentChildren;
  onConfirm: (r: Reason) => void;
  onCancel: () => void;
  danger?: boolean;
  defaultKind?: Reason['kind'];
}) {
  const [kind, setKind] = useState<Reason['kind']>(defaultKind);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  // Each step that opens takes focus (the second confirm of a popup was left on the page's body).
  const confirm = useFocusOnMount<HTMLButtonElement>();
  function submit(e: Event) {
    e.preventDefault();
    if (kind !== 'other') return onConfirm({ kind });
    // The audit log keeps the reason: "Other" alone would tell the person nothing later.
    if (!text.trim()) return setMissing(true);
    onConfirm({ kind, text: text.trim() });
  }
  return (
    <form class="stack" onSubmit={submit} onKeyDown={(e) => {
      // Escape is Cancel (and stays in the page: a toolbar popup would otherwise close, question and all).
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    }}>
      <label>
        {t('reason_label')}
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Reason['kind'])}>
          {REASONS.map((r) => <option value={r.kind}>{t(r.label)}</option>)}
        </select>
      </label>
      {kind === 'other' && (
        <label>
          {t('reason_text_label')}
          <input maxLength={200} value={text} aria-invalid={missing}
            aria-describedby={missing ? 'reason-missing' : undefined} ref={(el) => { if (missing) el?.focus(); }}
            onInput={(e) => { setText(e.currentTarget.value); setMissing(false); }} />
        </label>
      )}
      {kind === 'other' && missing && <p id="reason-missing" class="error small" role="alert">{t('reason_missing')}</p>}
      {children}
      <div class="row">
        <button type="submit" ref={confirm} class={danger ? 'primary danger-fill' : 'primary'}>{confirmLabel}</button>
        <button type="button" onClick={onCancel}>{t('action_cancel')}</button>
      </div>
    </form>
  );
}
