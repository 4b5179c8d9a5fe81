/** Small pieces shared by the popup's sessions view and the options page. */
import { useState } from 'preact/hooks';
import type { FailureKind, Session } from '../connectors/types';
import type { Reason } from '../lib/messages';
import { sharedCookiesText } from '../sessions/shared-cookies';
import type { RevokeOutcome } from '../sessions/types';
import { GlobeIcon, LaptopIcon, PhoneIcon, TerminalIcon } from './icons';
import { Untrusted } from './Untrusted';
import { visibleText } from './untrusted-text';

const FAILURE_TEXT: Record<FailureKind, string> = {
  'signed-out': 'Signed out already',
  offline: 'The site could not be reached',
  timeout: 'The site took too long to answer',
  permission: 'Revoke lacks permission for this site',
  'page-changed': 'The site answered in a way Revoke does not recognise (it may have changed)',
  server: 'The site reported an error',
  forbidden: 'The site refused the request',
  reauth: 'The site wants you to sign in again first',
  unsupported: 'This site does not offer that',
};

/** The message may quote the site's answer, so it is shown through visibleText. */
export function describeFailure(kind: FailureKind, message: string): string {
  const head = FAILURE_TEXT[kind] ?? 'Failed';
  return message && message !== head ? `${head}: ${visibleText(message)}` : head;
}

/** `what` may name a session by what its server said; `seen` and `detail` may quote the server. */
export function OutcomeLine({ outcome, what }: { outcome: RevokeOutcome; what: string }) {
  return (
    <>
      <OutcomeHead outcome={outcome} what={what} />
      {outcome.sharedCookies?.length ? <p class="notice small" data-shared-cookies>⚠ <Untrusted text={sharedCookiesText(outcome.sharedCookies)} /></p> : null}
    </>
  );
}

function OutcomeHead({ outcome, what }: { outcome: RevokeOutcome; what: string }) {
  const subject = <Untrusted text={what} />;
  if (outcome.status === 'confirmed') return <p class="okay small" data-outcome="confirmed" title={visibleText(outcome.seen)}>✓ {subject} ended — confirmed.</p>;
  if (outcome.status === 'not-confirmed') {
    return <p class="notice small" data-outcome="not-confirmed">⚠ {subject}: not confirmed. <Untrusted text={outcome.seen} /></p>;
  }
  return (
    <p class="error small" data-outcome="failed" title={outcome.detail && visibleText(outcome.detail)}>
      ✗ {subject}: failed. {describeFailure(outcome.kind, outcome.message)}
    </p>
  );
}

export function DeviceIcon({ session: s }: { session: Pick<Session, 'device' | 'os' | 'browser'> }) {
  const text = `${s.device ?? ''} ${s.os ?? ''}`.toLowerCase();
  if (/phone|android|ios|iphone|ipad|tablet|mobile/.test(text)) return <PhoneIcon />;
  if (/windows|mac|linux|chrome ?os|desktop/.test(text)) return <LaptopIcon />;
  if (/curl|wget|python|bot|cli/.test(`${s.browser ?? ''}`.toLowerCase())) return <TerminalIcon />;
  return <GlobeIcon />;
}

const REASONS: { kind: Reason['kind']; label: string }[] = [
  { kind: 'unrecognised', label: 'I don’t recognise it' },
  { kind: 'lost-device', label: 'Lost or stolen device' },
  { kind: 'shared-computer', label: 'Shared computer' },
  { kind: 'other', label: 'Other…' },
];

/** Asks why (kept in the audit log), then confirms. */
export function ReasonPicker({ confirmLabel, onConfirm, onCancel, danger, defaultKind = 'unrecognised' }: {
  confirmLabel: string;
  onConfirm: (r: Reason) => void;
  onCancel: () => void;
  danger?: boolean;
  defaultKind?: Reason['kind'];
}) {
  const [kind, setKind] = useState<Reason['kind']>(defaultKind);
  const [text, setText] = useState('');
  return (
    <form class="stack" onSubmit={(e) => { e.preventDefault(); onConfirm(kind === 'other' ? { kind, text: text.trim() } : { kind }); }}>
      <label>
        Reason
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Reason['kind'])}>
          {REASONS.map((r) => <option value={r.kind}>{r.label}</option>)}
        </select>
      </label>
      {kind === 'other' && (
        <input aria-label="Reason in your words" maxLength={200} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      )}
      <div class="row">
        <button type="submit" class={danger ? 'primary danger-fill' : 'primary'} autoFocus>{confirmLabel}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
