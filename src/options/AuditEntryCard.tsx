/** One action of the audit log: a record of its own, or a "sign out everywhere" with a line per site step. */
import type { AuditEntry } from '../sessions/audit-log';
import type { AuditRecord } from '../sessions/types';
import { displayIp } from '../lib/ipv6';
import { OutcomeLine } from '../ui/session-bits';
import { Untrusted } from '../ui/Untrusted';
import { formatDateTime } from '../ui/time';
import { t, tp } from '../i18n/t';
import { PanicSites } from '../ui/PanicSites';
import { ACTION_TEXT, extraRule, reasonText, recordName, subjectOf } from './audit-text';

function When({ at }: { at: number }) {
  return <time class="muted small" dateTime={new Date(at).toISOString()}>{formatDateTime(at)}</time>;
}

function Reason({ r }: { r: AuditRecord }) {
  const rule = extraRule(r);
  return (
    <>
      <div class="muted small"><Untrusted text={t('audit_reason', reasonText(r.reason))} /></div>
      {rule !== undefined && <div class="muted small"><Untrusted text={t('audit_reason_rule', rule)} /></div>}
    </>
  );
}

function SessionLine({ r }: { r: AuditRecord }) {
  const s = r.session;
  if (!s) return null;
  return (
    <div class="muted small">
      <Untrusted text={[s.browser, s.os, s.device, s.ip && displayIp(s.ip), s.location].filter(Boolean).join(' · ')} />
    </div>
  );
}

export function AuditEntryCard({ entry }: { entry: AuditEntry }) {
  const first = entry.records[0]!;
  if (first.panic) {
    // Panic: one record for the whole run, its lines per site kept in it.
    return (
      <li class="card" data-entry={entry.id} data-panic>
        <div class="row">
          <strong class="grow">{t(ACTION_TEXT[first.action])}</strong>
          <When at={first.at} />
        </div>
        <Reason r={first} />
        <p class="small"><Untrusted text={first.outcome.status === 'failed' ? first.outcome.message : first.outcome.seen} /></p>
        <PanicSites sites={entry.panic ?? first.panic} />
      </li>
    );
  }
  if (entry.jobId === undefined) {
    return (
      <li class="card" data-entry={entry.id}>
        <div class="row">
          <strong class="grow names-wrap">{t(ACTION_TEXT[first.action])} · <Untrusted text={recordName(first)} /></strong>
          <When at={first.at} />
        </div>
        <Reason r={first} />
        <SessionLine r={first} />
        <OutcomeLine outcome={first.outcome} {...subjectOf(first)} />
      </li>
    );
  }
  const sites = new Set(entry.records.map((r) => r.accountId)).size;
  return (
    <li class="card" data-entry={entry.id} data-job>
      <div class="row">
        <strong class="grow">{t('audit_everywhere')} · {tp('audit_sites', sites)}</strong>
        <When at={entry.at} />
      </div>
      <Reason r={first} />
      <ul class="audit-lines">
        {entry.records.map((r) => (
          <li key={r.id}>
            <div class="names-wrap">
              <Untrusted text={recordName(r)} />{' '}
              <span class="muted small">· {t(r.action === 'local-sign-out' ? 'audit_step_local' : 'audit_step_server')}</span>
            </div>
            <OutcomeLine outcome={r.outcome} {...subjectOf(r)} />
          </li>
        ))}
      </ul>
    </li>
  );
}
