/** The audit log's filter bar: search, then account, outcome, reason, rule (when any record has one) and dates. */
import type { AuditFacets, AuditFilter, OutcomeStatus } from '../sessions/audit-log';
import { dayBound } from '../sessions/audit-log';
import { t } from '../i18n/t';
import { OUTCOME_TEXT, reasonKindText } from './audit-text';

/** What the controls hold, as typed: '' is "any". */
export interface AuditFilterForm {
  search: string;
  accountId: string;
  outcome: string;
  reason: string;
  rule: string;
  from: string;
  to: string;
}

export const NO_FILTER: AuditFilterForm = { search: '', accountId: '', outcome: '', reason: '', rule: '', from: '', to: '' };

export function toAuditFilter(f: AuditFilterForm): AuditFilter {
  const from = dayBound(f.from, 'from');
  const to = dayBound(f.to, 'to');
  return {
    ...(f.search.trim() && { search: f.search.trim() }),
    ...(f.accountId && { accountId: f.accountId }),
    ...(f.outcome && { outcome: f.outcome as OutcomeStatus }),
    ...(f.reason && { reason: f.reason }),
    ...(f.rule && { rule: f.rule }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
  };
}

function Choice({ name, label, value, options, onPick }: {
  name: keyof AuditFilterForm; label: string; value: string; options: { value: string; text: string }[]; onPick: (v: string) => void;
}) {
  // Labelled by `for`, not by wrapping: a wrapped control's value would join its name ("Account Any").
  return (
    <div class="field">
      <label for={`audit-${name}`}>{label}</label>
      <select id={`audit-${name}`} name={name} value={value} onChange={(e) => onPick(e.currentTarget.value)}>
        <option value="">{t('audit_filter_any')}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
      </select>
    </div>
  );
}

export function AuditFilters({ form, facets, onChange }: { form: AuditFilterForm; facets: AuditFacets; onChange: (f: AuditFilterForm) => void }) {
  const set = (key: keyof AuditFilterForm) => (value: string) => onChange({ ...form, [key]: value });
  const changed = Object.values(form).some((v) => v !== '');
  return (
    <fieldset class="stack audit-filters">
      <legend>{t('audit_filters')}</legend>
      <input type="search" name="search" value={form.search} placeholder={t('audit_search')} aria-label={t('audit_search_label')}
        onInput={(e) => set('search')(e.currentTarget.value)} />
      <div class="row wrap">
        <Choice name="accountId" label={t('audit_filter_account')} value={form.accountId} onPick={set('accountId')}
          options={facets.accounts.map((a) => ({ value: a.id, text: a.name }))} />
        <Choice name="outcome" label={t('audit_filter_outcome')} value={form.outcome} onPick={set('outcome')}
          options={facets.outcomes.map((o) => ({ value: o, text: t(OUTCOME_TEXT[o]) }))} />
        <Choice name="reason" label={t('audit_filter_reason')} value={form.reason} onPick={set('reason')}
          options={facets.reasons.map((r) => ({ value: r, text: reasonKindText(r) }))} />
        {(facets.rules.length > 0 || form.rule) && (
          <Choice name="rule" label={t('audit_filter_rule')} value={form.rule} onPick={set('rule')}
            options={facets.rules.map((r) => ({ value: r, text: r }))} />
        )}
        <div class="field">
          <label for="audit-from">{t('audit_filter_from')}</label>
          <input id="audit-from" type="date" name="from" value={form.from} max={form.to || undefined} onChange={(e) => set('from')(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="audit-to">{t('audit_filter_to')}</label>
          <input id="audit-to" type="date" name="to" value={form.to} min={form.from || undefined} onChange={(e) => set('to')(e.currentTarget.value)} />
        </div>
        {changed && <button type="button" onClick={() => onChange(NO_FILTER)}>{t('audit_filter_clear')}</button>}
      </div>
    </fieldset>
  );
}
