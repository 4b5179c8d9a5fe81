/** The audit log: every revocation, its outcome and its reason, newest first. */
import { useEffect, useState } from 'preact/hooks';
import type { AuditRecord } from '../sessions/types';
import { call, errorText } from '../ui/client';
import { OutcomeLine } from '../ui/session-bits';
import { Untrusted } from '../ui/Untrusted';
import { compressIpv6 } from '../lib/ipv6';
import { accountName } from '../sessions/account-name';
import type { OutcomeSubject } from '../ui/outcome-text';
import { t, type MessageKey } from '../i18n/t';
import { onHost, sessionTitle } from '../ui/session-bits';
import { formatDateTime } from '../ui/time';
import { PanicSites } from '../ui/PanicSites';

const PAGE = 50;
const ACTION_TEXT: Record<AuditRecord['action'], MessageKey> = {
  'revoke-one': 'audit_revokeOne',
  'revoke-others': 'audit_revokeOthers',
  'revoke-all': 'audit_revokeAll',
  'local-sign-out': 'audit_localSignOut',
  'sign-out-everywhere': 'audit_everywhere',
  panic: 'panic_audit_title',
};
const REASON_TEXT: Record<Exclude<AuditRecord['reason']['kind'], 'rule'>, MessageKey> = {
  unrecognised: 'audit_reason_unrecognised', 'lost-device': 'reason_lostDevice', 'shared-computer': 'reason_sharedComputer', other: 'audit_reason_other',
};

function reasonText(r: AuditRecord['reason']): string {
  if (r.kind === 'rule') return t('audit_reason_rule', r.rule);
  return r.text ? t('audit_reason_withText', t(REASON_TEXT[r.kind]), r.text) : t(REASON_TEXT[r.kind]);
}

/**
 * The account's name as it was recorded. Records from before names were kept hold only the label
 * of the time: shown with the site, not with today's sign-in, which may not be who it was then.
 */
function recordName(r: AuditRecord): string {
  return r.accountName ?? accountName({ label: r.accountLabel, origin: r.origin }, undefined, onHost);
}

/** What the attempt was about, for its result sentence (the site is in the record's name). */
function subjectOf(r: AuditRecord): OutcomeSubject {
  switch (r.action) {
    case 'revoke-one': return { what: r.session ? t('what_session', sessionTitle(r.session)) : t('what_aSession') };
    case 'revoke-others': return { what: t('what_everyOtherSession') };
    case 'revoke-all': return { what: t('what_everySession') };
    case 'local-sign-out': return { what: t('what_thisBrowsersLogin'), verb: 'clear' };
    case 'sign-out-everywhere': return { what: t('what_theSessions') };
    case 'panic': return { what: t('panic_what_site') };
  }
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
      <h2 id="audit-h">{t('auditLog')}</h2>
      <p class="muted">{t('audit_intro')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {records.length === 0 && !error && <p class="muted">{t('audit_none')}</p>}
      <ol class="entries" aria-label={t('audit_records_label')}>
        {records.map((r) => (
          <li class="card" key={r.id}>
            <div class="row">
              <strong class="grow">{t(ACTION_TEXT[r.action])}{r.action !== 'panic' && <> · <Untrusted text={recordName(r)} /></>}</strong>
              <time class="muted small" dateTime={new Date(r.at).toISOString()}>{formatDateTime(r.at)}</time>
            </div>
            <div class="muted small"><Untrusted text={t('audit_reason', reasonText(r.reason))} /></div>
            {r.session && (
              <div class="muted small">
                <Untrusted text={[r.session.browser, r.session.os, r.session.device, r.session.ip && compressIpv6(r.session.ip), r.session.location].filter(Boolean).join(' · ')} />
              </div>
            )}
            {r.panic ? <><p class="small"><Untrusted text={r.outcome.status === 'failed' ? r.outcome.message : r.outcome.seen} /></p><PanicSites sites={r.panic} /></> : <OutcomeLine outcome={r.outcome} {...subjectOf(r)} />}
          </li>
        ))}
      </ol>
      {more && <div><button onClick={() => load(records[records.length - 1]?.at)}>{t('audit_older')}</button></div>}
    </section>
  );
}
