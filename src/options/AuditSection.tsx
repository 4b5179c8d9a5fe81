/** The audit log: every revocation, its outcome and its reason, newest first. */
import { useEffect, useState } from 'preact/hooks';
import type { AuditRecord } from '../sessions/types';
import { call, errorText } from '../ui/client';
import { OutcomeLine } from '../ui/session-bits';
import { Untrusted } from '../ui/Untrusted';
import { compressIpv6 } from '../lib/ipv6';
import { accountName } from '../sessions/account-name';
import type { OutcomeSubject } from '../ui/outcome-text';

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

/**
 * The account's name as it was recorded. Records from before names were kept hold only the label
 * of the time: shown with the site, not with today's sign-in, which may not be who it was then.
 */
function recordName(r: AuditRecord): string {
  return r.accountName ?? accountName({ label: r.accountLabel, origin: r.origin });
}

/** What the attempt was about, for its result sentence (the site is in the record's name). */
function subjectOf(r: AuditRecord): OutcomeSubject {
  switch (r.action) {
    case 'revoke-one': return { what: r.session ? `the session on ${sessionName(r.session)}` : 'a session' };
    case 'revoke-others': return { what: 'every other session' };
    case 'revoke-all': return { what: 'every session' };
    case 'local-sign-out': return { what: 'this browser’s login (its cookies and site data)', verb: 'clear' };
    case 'sign-out-everywhere': return { what: 'the sessions' };
  }
}

function sessionName(s: NonNullable<AuditRecord['session']>): string {
  return [s.browser, s.os].filter(Boolean).join(' on ') || s.device || 'an unknown device';
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
              <strong class="grow">{ACTION_TEXT[r.action]} · <Untrusted text={recordName(r)} /></strong>
              <time class="muted small" dateTime={new Date(r.at).toISOString()}>{new Date(r.at).toLocaleString()}</time>
            </div>
            <div class="muted small">Reason: <Untrusted text={reasonText(r.reason)} /></div>
            {r.session && (
              <div class="muted small">
                <Untrusted text={[r.session.browser, r.session.os, r.session.device, r.session.ip && compressIpv6(r.session.ip), r.session.location].filter(Boolean).join(' · ')} />
              </div>
            )}
            <OutcomeLine outcome={r.outcome} {...subjectOf(r)} />
          </li>
        ))}
      </ol>
      {more && <div><button onClick={() => load(records[records.length - 1]?.at)}>Show older</button></div>}
    </section>
  );
}
