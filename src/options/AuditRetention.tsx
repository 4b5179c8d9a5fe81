/**
 * How long the audit log keeps records. A shorter period that would delete records asks first,
 * saying how many go; the background deletes them before it answers.
 */
import { useState } from 'preact/hooks';
import type { AuditRecord } from '../sessions/types';
import { AUDIT_RETENTION_DAYS, isAuditRetention, retentionCutoff, type AuditRetentionDays } from '../sessions/audit-retention';
import { t, tp, type MessageKey } from '../i18n/t';

const LABEL: Record<AuditRetentionDays, MessageKey> = {
  30: 'audit_retention_30', 90: 'audit_retention_90', 365: 'audit_retention_365', 730: 'audit_retention_730', 0: 'audit_retention_0',
};

export function AuditRetention({ days, records, onSave }: {
  days: AuditRetentionDays;
  records: readonly AuditRecord[];
  onSave: (days: AuditRetentionDays) => Promise<void>;
}) {
  const [pending, setPending] = useState<{ days: AuditRetentionDays; doomed: number } | null>(null);
  /** How many records the last shorter period deleted: said once they are gone. */
  const [deleted, setDeleted] = useState<number | null>(null);

  function pick(value: string) {
    const next = Number(value);
    if (!isAuditRetention(next)) return;
    const cutoff = retentionCutoff(next, Date.now());
    const doomed = cutoff === null ? 0 : records.filter((r) => r.at < cutoff).length;
    setDeleted(null);
    if (doomed === 0) void onSave(next);
    else setPending({ days: next, doomed });
  }

  return (
    <fieldset class="stack">
      <legend>{t('audit_retention_title')}</legend>
      <div class="field">
        <label for="audit-retention">{t('audit_retention')}</label>
        <select id="audit-retention" name="auditRetentionDays" value={String(pending?.days ?? days)} style="max-width:200px" onChange={(e) => pick(e.currentTarget.value)}>
          {AUDIT_RETENTION_DAYS.map((d) => <option key={d} value={String(d)}>{t(LABEL[d])}</option>)}
        </select>
      </div>
      <p class="muted small">{t('audit_retention_hint')}</p>
      {pending && (
        <div class="row wrap" role="alert">
          <p class="notice grow">{tp('audit_retention_confirm', pending.doomed)}</p>
          <button class="danger" onClick={() => void onSave(pending.days).then(() => { setDeleted(pending.doomed); setPending(null); })}>{t('audit_retention_apply')}</button>
          <button onClick={() => setPending(null)}>{t('action_cancel')}</button>
        </div>
      )}
      <p class="okay small" role="status">{deleted !== null ? tp('audit_retention_deleted', deleted) : ''}</p>
    </fieldset>
  );
}
