/**
 * The audit log: one entry per action, newest first, filtered and searched in memory (the log is
 * bounded by its retention setting, so every record is loaded), exported as CSV or JSON.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AuditRecord } from '../sessions/types';
import { auditFacets, filterAudit } from '../sessions/audit-log';
import { auditCsv, auditJson } from '../sessions/audit-export';
import type { AuditRetentionDays } from '../sessions/audit-retention';
import { call, errorText } from '../ui/client';
import { t, tp } from '../i18n/t';
import { datedName, downloadText } from './download';
import { AuditEntryCard } from './AuditEntryCard';
import { AuditFilters, NO_FILTER, toAuditFilter, type AuditFilterForm } from './AuditFilters';
import { AuditRetention } from './AuditRetention';
import { recordName, shownText } from './audit-text';

/** Entries drawn at a time; "Show older" draws more. */
const SHOWN = 50;
/** Records asked for per message (the background's page limit). */
const PAGE = 200;

/** Every record, page by page, newest first: the cursor (time and id) never skips or repeats one. */
async function loadAll(): Promise<AuditRecord[]> {
  const all: AuditRecord[] = [];
  for (;;) {
    const last = all[all.length - 1];
    const page = await call('audit/list', { limit: PAGE, ...(last && { before: { at: last.at, id: last.id } }) });
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

export function AuditSection() {
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [retention, setRetention] = useState<AuditRetentionDays | null>(null);
  const [form, setForm] = useState<AuditFilterForm>(NO_FILTER);
  const [shown, setShown] = useState(SHOWN);
  const [error, setError] = useState('');

  const reload = () => loadAll().then(setRecords, (e) => setError(errorText(e)));
  useEffect(() => {
    void reload();
    call('vault/snapshot', null).then((s) => setRetention(s.settings.auditRetentionDays), (e) => setError(errorText(e)));
  }, []);

  const filter = useMemo(() => toAuditFilter(form), [form]);
  const facets = useMemo(() => auditFacets(records ?? [], recordName), [records]);
  const entries = useMemo(() => filterAudit(records ?? [], filter, shownText), [records, filter]);
  const filtered = Object.keys(filter).length > 0;

  function changeFilter(next: AuditFilterForm) {
    setForm(next);
    setShown(SHOWN);
  }

  async function saveRetention(days: AuditRetentionDays) {
    try {
      const settings = await call('settings/update', { auditRetentionDays: days });
      setRetention(settings.auditRetentionDays);
      await reload(); // the background pruned before it answered
    } catch (e) {
      setError(errorText(e));
    }
  }

  function exportAs(kind: 'csv' | 'json') {
    const name = datedName('revoke-audit-log', kind);
    if (kind === 'csv') downloadText(name, auditCsv(entries), 'text/csv;charset=utf-8');
    else downloadText(name, auditJson(entries, filter, Date.now()), 'application/json');
  }

  return (
    <section class="stack" aria-labelledby="audit-h">
      <h2 id="audit-h">{t('auditLog')}</h2>
      <p class="muted">{t('audit_intro')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {records === null && !error && <p class="muted" aria-busy="true">{t('loading')}</p>}
      {records !== null && records.length === 0 && <p class="muted">{t('audit_none')}</p>}
      {records !== null && records.length > 0 && (
        <>
          <AuditFilters form={form} facets={facets} onChange={changeFilter} />
          <div class="row wrap audit-tools">
            <p class="muted small grow" role="status">{entries.length === 0 && filtered ? t('audit_noMatch') : tp('audit_count', entries.length)}</p>
            <button onClick={() => exportAs('csv')} disabled={entries.length === 0} aria-describedby="audit-export-hint">{t('audit_export_csv')}</button>
            <button onClick={() => exportAs('json')} disabled={entries.length === 0} aria-describedby="audit-export-hint">{t('audit_export_json')}</button>
          </div>
          <p id="audit-export-hint" class="muted small">{t('audit_export_hint')}</p>
          <ol class="entries" aria-label={t('audit_records_label')}>
            {entries.slice(0, shown).map((entry) => <AuditEntryCard key={entry.id} entry={entry} />)}
          </ol>
          {entries.length > shown && <div><button onClick={() => setShown((n) => n + SHOWN)}>{t('audit_older')}</button></div>}
        </>
      )}
      {retention !== null && <AuditRetention days={retention} records={records ?? []} onSave={saveRetention} />}
    </section>
  );
}
