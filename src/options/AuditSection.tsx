/** The audit log: every revocation, its outcome and its reason, newest first. */
import { useEffect, useState } from 'preact/hooks';
import type { AuditRecord } from '../sessions/types';
import { call, errorText } from '../ui/client';
import { OutcomeLine } from '../ui/session-bits';
import { Untrusted } from '../ui/Untrusted';

const PAGE = 50;
const ACTION_TEXT: Record<AuditRecord['action'], string> = {
  'revoke-one': 'Ended a session',
  'revoke-others': 'Ended all other sessions',
  'revoke-all': 'Signed out of the site',
  'local-sign-out': 'Cleared this browser’s login',
  'sign-out-everywhere': 'Sign out everywhere',
};
const REASON_TEXT = { unrecognised: 'Didn’t recognise it', 'lost-device': 'Lost or stolen device', 'shared-computer': 'Shared computer', other: 'Other' } as const;

function reasonText(r: AuditRecord['reason']): string {
  if (r.kind === 'rule') return `Rule: ${r.rule}`;
  return r.text ? `${REASON_TEXT[r.kind]}: ${r.text}` : REASON_TEXT[r.kind];
}

export function AuditSection() {
  const [records, setRecords] = useState<AuditRecord[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState('');

  async function load(before?: number) {
    try {
      const page = await call('audit/list', { limit: PAGE, before });
      setRecords((r) => (before ? [...r, ...page] : page));
      setMore(page.length === PAGE);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  return (
    <section class="stack" aria-labelledby="audit-h">
      <h2 id="audit-h">Audit log</h2>
      <p class="muted">Every session Revoke ended or tried to end, with what was confirmed afterwards and why you did it.</p>
      {error && <p class="error" role="alert">{error}</p>}
      {records.length === 0 && !error && <p class="muted">Nothing yet.</p>}
      <ol class="entries" aria-label="Audit records">
        {records.map((r) => (
          <li class="card" key={r.id}>
            <div class="row">
              <strong class="grow">{ACTION_TEXT[r.action]} · <Untrusted text={r.accountLabel} /></strong>
              <time class="muted small" dateTime={new Date(r.at).toISOString()}>{new Date(r.at).toLocaleString()}</time>
            </div>
            <div class="muted small">{new URL(r.origin).host} · <Untrusted text={reasonText(r.reason)} /></div>
            {r.session && (
              <div class="muted small">
                <Untrusted text={[r.session.browser, r.session.os, r.session.device, r.session.ip, r.session.location].filter(Boolean).join(' · ')} />
              </div>
            )}
            <OutcomeLine outcome={r.outcome} what="Result" />
          </li>
        ))}
      </ol>
      {more && <div><button onClick={() => load(records[records.length - 1]?.at)}>Show older</button></div>}
    </section>
  );
}
