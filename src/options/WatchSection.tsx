/**
 * The watch: how often Revoke audits the linked accounts (or not at all), and each account's rules
 * (src/sessions/rules.ts), all off until turned on. An account the audits cannot look at is shown
 * here with since when, for as long as it stays so.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountView, AuditedAccount, WatchState } from '../lib/messages';
import type { AccountRules } from '../sessions/rules';
import { listsOthers, RULE_LIMITS, rulesFor } from '../sessions/rules';
import { WATCH_HOURS } from '../background/watch-schedule';
import { call, errorText } from '../ui/client';
import { connectorName } from '../i18n/connector-text';
import { describeFailure, ServiceAfter, viewName } from '../ui/session-bits';
import { formatDateTime } from '../ui/time';
import { Untrusted } from '../ui/Untrusted';
import { visibleText } from '../lib/untrusted-text';
import { formatList, t, tp } from '../i18n/t';
import { othersHiddenText } from '../i18n/watch-text';
import type { AuditFailure } from '../sessions/watch';

/** 'notice': done, but not all of it (an account "Audit now" could not audit). */
type Status = { kind: 'okay' | 'notice' | 'error'; text: string } | null;

export function WatchSection() {
  const [state, setState] = useState<WatchState | null>(null);
  const [views, setViews] = useState<AccountView[]>([]);
  const [status, setStatus] = useState<Status>(null);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    Promise.all([call('watch/state', null), call('sessions/overview', null)]).then(([s, v]) => {
      setState(s);
      setViews(v);
    }, (e) => setStatus({ kind: 'error', text: errorText(e) }));
  }, []);

  async function apply(p: Promise<WatchState>, done?: string) {
    try {
      setState(await p);
      setStatus(done ? { kind: 'okay', text: done } : null);
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e) });
    }
  }

  async function runNow() {
    setRunning(true);
    setStatus(null);
    try {
      const { state: after, audited } = await call('watch/run', null);
      // The names as the audit left them (and an account linked meanwhile, named too).
      const named = await call('sessions/overview', null).catch(() => views);
      setState(after);
      setViews(named);
      setStatus({ kind: audited.some((a) => a.failure) ? 'notice' : 'okay', text: auditSummary(audited, named) });
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e) });
    }
    setRunning(false);
  }

  if (!state) return <section aria-labelledby="watch-h"><h2 id="watch-h">{t('watch_heading')}</h2>{status && <p class="error" role="alert">{status.text}</p>}</section>;
  const lastRun = Math.max(0, ...state.accounts.map((a) => a.lastRunAt ?? 0));
  return (
    <section class="stack" aria-labelledby="watch-h">
      <h2 id="watch-h">{t('watch_heading')}</h2>
      <p class="muted">{t('watch_intro')}</p>
      <div class="row wrap">
        <label>
          {t('watch_interval_label')}
          <select name="everyHours" value={String(state.everyHours)} onChange={(e) => apply(call('watch/schedule', { everyHours: Number(e.currentTarget.value) }), t('saved'))}>
            {WATCH_HOURS.map((h) => <option value={String(h)}>{h === 0 ? t('watch_interval_off') : tp('watch_interval_hours', h)}</option>)}
          </select>
        </label>
        <button onClick={runNow} disabled={running || state.accounts.length === 0} aria-busy={running}>{running ? t('watch_running') : t('watch_runNow')}</button>
      </div>
      <p class="muted small">{lastRun ? t('watch_lastRun', formatDateTime(lastRun)) : t('watch_neverRun')}</p>
      {/* The schedule's and the audit's outcome, under their controls: a live region there from the start, so it is announced. */}
      <p class={status?.kind === 'notice' ? 'notice' : 'okay'} role="status" aria-live="polite">{status?.kind !== 'error' && status?.text}</p>
      {status?.kind === 'error' && <p class="error" role="alert">{status.text}</p>}
      <h3>{t('watch_rules_heading')}</h3>
      {state.accounts.length === 0 ? <p class="muted">{t('watch_noAccounts')}</p> : <p class="muted">{t('watch_rules_intro')}</p>}
      {/* With audits off, only "Audit now" (and the browser's start, for its own rule) runs the rules: said, not left to find out. */}
      {state.everyHours === 0 && state.accounts.length > 0 && <p id="watch-rules-off" class="notice">{t('watch_rules_auditsOff')}</p>}
      {state.accounts.map((a) => {
        const v = views.find((x) => x.account.id === a.accountId);
        if (!v) return null;
        const name = visibleText(viewName(v));
        return (
          <AccountRulesForm key={a.accountId} name={name} service={connectorName(v.connector)} entry={a}
            tellsAge={v.connector.can.sessionStart === true} othersListed={listsOthers(v.connector.can)} listsNone={!v.connector.can.list} auditsOff={state.everyHours === 0}
            onSave={async (rules) => setState(await call('watch/rules', { accountId: a.accountId, rules }))} />
        );
      })}
    </section>
  );
}

/** The rules whose number the person types. */
type NumberRule = 'inactiveDays' | 'signOutAfterHours';

/** The values offered when a number rule is first turned on. */
const FIRST_NUMBER: Record<NumberRule, number> = { inactiveDays: 30, signOutAfterHours: 12 };

/**
 * The form as the person left it: whether each number rule is on, and its number as typed (kept as
 * typed, even empty or half-written: only Save reads it). The checkbox alone says on or off.
 */
interface RulesDraft {
  on: Record<NumberRule, boolean>;
  text: Record<NumberRule, string>;
  unrecognised: AccountRules['unrecognised'];
  signOutOnStart: boolean;
}

function draftOf(r: AccountRules): RulesDraft {
  const text = (k: NumberRule) => String(r[k] ?? FIRST_NUMBER[k]);
  return {
    on: { inactiveDays: r.inactiveDays !== null, signOutAfterHours: r.signOutAfterHours !== null },
    text: { inactiveDays: text('inactiveDays'), signOutAfterHours: text('signOutAfterHours') },
    unrecognised: r.unrecognised,
    signOutOnStart: r.signOutOnStart,
  };
}

/** The whole number typed, when it is one within the rule's limits (RULE_LIMITS); else null. */
export function ruleNumber(text: string, rule: NumberRule): number | null {
  const typed = text.trim();
  if (!/^\d+$/.test(typed)) return null;
  const n = Number(typed);
  const { min, max } = RULE_LIMITS[rule];
  return n >= min && n <= max ? n : null;
}

/** Why the watch could not audit an account, in words: the others hidden are said as such, without a failure's head. */
function problemText(p: AuditFailure): string {
  if (p.hidden) return othersHiddenText(p.hidden);
  return p.kind === 'signed-out' ? t('watch_problem_signedOut') : describeFailure(p.kind, p.message, p.said);
}

const INVALID_TEXT = { inactiveDays: 'watch_rule_days_invalid', signOutAfterHours: 'watch_rule_hours_invalid' } as const;

/**
 * What "Audit now" found, in a sentence or two: how many accounts it audited and what it found
 * there (new sign-ins, what rules did), then each account it could not audit, by name and why.
 */
export function auditSummary(audited: readonly AuditedAccount[], views: readonly AccountView[]): string {
  const looked = audited.filter((a) => !a.failure);
  const head = looked.length === audited.length ? tp('watch_run_audited', audited.length) : tp('watch_run_auditedOf', audited.length, looked.length);
  // What rules did and who signed in count wherever they happened, also at an account the audit
  // could not see all of (better-auth hiding the others, yet its rule on this browser acting).
  const sum = (f: (a: AuditedAccount) => number) => audited.reduce((n, a) => n + f(a), 0);
  const [signIns, acted] = [sum((a) => a.newSignIns), sum((a) => a.ruleActions)];
  const found = [...(signIns ? [tp('watch_run_newSignIns', signIns)] : []), ...(acted ? [tp('watch_run_ruleActions', acted)] : [])];
  const lines = looked.length === 0 && found.length === 0 ? [] : [found.length ? t('watch_run_found', head, formatList(found)) : t('watch_run_nothingNew', head)];
  for (const a of audited) {
    if (!a.failure) continue;
    const v = views.find((x) => x.account.id === a.accountId);
    const name = v ? visibleText(viewName(v)) : a.accountId;
    lines.push(t('watch_run_failed', name, problemText(a.failure)));
  }
  return lines.join(' ');
}

function AccountRulesForm({ name, service, entry, tellsAge, othersListed, listsNone, auditsOff, onSave }: {
  name: string;
  service: string;
  entry: WatchState['accounts'][number];
  /** The service says when this browser's session began: "older than N hours" can be measured. */
  tellsAge: boolean;
  /** The service lists sessions besides this browser's: the rules about them can act. */
  othersListed: boolean;
  /** The service lists no sessions at all (sign-in providers). */
  listsNone: boolean;
  auditsOff: boolean;
  /** Stores the rules; rejects with the reason when they could not be. */
  onSave: (r: AccountRules) => Promise<void>;
}) {
  const [draft, setDraft] = useState<RulesDraft>(() => draftOf(entry.rules));
  /** The number rules Save found no valid number in, until that field is changed. */
  const [invalid, setInvalid] = useState<NumberRule[]>([]);
  const [status, setStatus] = useState<Status>(null);
  const [saving, setSaving] = useState(false);
  const fields = { inactiveDays: useRef<HTMLInputElement>(null), signOutAfterHours: useRef<HTMLInputElement>(null) };
  const ageNote = `watch-age-${entry.accountId}`;
  const errorId = (k: NumberRule) => `watch-${k}-invalid-${entry.accountId}`;
  useEffect(() => setDraft(draftOf(entry.rules)), [JSON.stringify(entry.rules)]);
  const change = (next: RulesDraft, field?: NumberRule) => {
    setDraft(next);
    setStatus(null); // "saved" no longer describes the form
    if (field) setInvalid(invalid.filter((k) => k !== field));
  };
  const turn = (k: NumberRule, on: boolean) => change({ ...draft, on: { ...draft.on, [k]: on } }, k);
  const type = (k: NumberRule, text: string) => change({ ...draft, text: { ...draft.text, [k]: text } }, k);
  // Only what can apply here is checked: a rule the service cannot carry out is not saved (rules.ts rulesFor).
  const applies: Record<NumberRule, boolean> = { inactiveDays: othersListed, signOutAfterHours: tellsAge };

  async function save(e: Event) {
    e.preventDefault();
    const wrong = (['inactiveDays', 'signOutAfterHours'] as const).filter((k) => applies[k] && draft.on[k] && ruleNumber(draft.text[k], k) === null);
    setInvalid(wrong);
    if (wrong.length) {
      setStatus(null);
      fields[wrong[0]!].current?.focus();
      return;
    }
    const number = (k: NumberRule) => (draft.on[k] ? ruleNumber(draft.text[k], k) : null);
    const rules: AccountRules = { inactiveDays: number('inactiveDays'), unrecognised: draft.unrecognised, signOutOnStart: draft.signOutOnStart, signOutAfterHours: number('signOutAfterHours') };
    setSaving(true);
    try {
      await onSave(rulesFor(rules, { list: othersListed, sessionStart: tellsAge }));
      setStatus({ kind: 'okay', text: t('watch_rules_saved', name) });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
    }
    setSaving(false);
  }

  /** A number rule's field, with what Save found wrong in it said beside it. */
  const numberField = (k: NumberRule, unit: string) => {
    const wrong = invalid.includes(k);
    const { min, max } = RULE_LIMITS[k];
    return (
      <>
        <label class="inline">
          <input ref={fields[k]} type="number" name={k} min={min} max={max} step={1} style="max-width:90px"
            disabled={!applies[k] || !draft.on[k]} value={draft.text[k]} onInput={(e) => type(k, e.currentTarget.value)}
            aria-invalid={wrong || undefined} aria-describedby={wrong ? errorId(k) : k === 'signOutAfterHours' && !tellsAge ? ageNote : undefined} />
          {unit}
        </label>
        {wrong && <p id={errorId(k)} class="error small">{t(INVALID_TEXT[k], min, max)}</p>}
      </>
    );
  };

  const p = entry.problem;
  return (
    <form class="stack" aria-label={name} data-account-id={entry.accountId} onSubmit={save} noValidate>
      <fieldset class="stack" aria-describedby={auditsOff ? 'watch-rules-off' : undefined}>
        <legend><Untrusted text={name} /><ServiceAfter name={name} service={service} /></legend>
        {p?.byRule && <p class="muted small">{t('watch_problem_byRule', formatDateTime(p.since))}</p>}
        {/* The others hidden for now is the service's rule, not a fault: a notice, not an error. */}
        {p && !p.byRule && <p class={`${p.hidden ? 'notice' : 'error'} small`}>{t('watch_problem_since', formatDateTime(p.since), problemText(p))}</p>}
        {/* Only where the service lists other sessions: no rule that never fires (rules.ts rulesFor). */}
        {othersListed ? (
          <>
            <div class="row rule-row">
              <label class="inline">
                <input type="checkbox" name="inactive" checked={draft.on.inactiveDays} onChange={(e) => turn('inactiveDays', e.currentTarget.checked)} />
                {t('watch_rule_inactive')}
              </label>
              {numberField('inactiveDays', t('watch_rule_days'))}
            </div>
            <label>
              {t('watch_rule_unrecognised')}
              <select name="unrecognised" class="fit" value={draft.unrecognised} onChange={(e) => change({ ...draft, unrecognised: e.currentTarget.value === 'end' ? 'end' : 'notify' })}>
                <option value="notify">{t('watch_rule_unrecognised_notify')}</option>
                <option value="end">{t('watch_rule_unrecognised_end')}</option>
              </select>
            </label>
          </>
        ) : <p class="muted small">{t(listsNone ? 'watch_rules_noList' : 'watch_rules_onlyThisBrowser', service)}</p>}
        <label class="inline">
          <input type="checkbox" name="signOutOnStart" checked={draft.signOutOnStart} onChange={(e) => change({ ...draft, signOutOnStart: e.currentTarget.checked })} />
          {t('watch_rule_onStart')}
        </label>
        <div class="row rule-row">
          <label class="inline">
            <input type="checkbox" name="olderThan" disabled={!tellsAge} aria-describedby={tellsAge ? undefined : ageNote}
              checked={tellsAge && draft.on.signOutAfterHours} onChange={(e) => turn('signOutAfterHours', e.currentTarget.checked)} />
            {t('watch_rule_olderThan')}
          </label>
          {numberField('signOutAfterHours', t('watch_rule_hours'))}
        </div>
        {/* Offered only where the service dates this browser's session (rules.ts rulesFor): no rule that never fires. */}
        {!tellsAge && <p id={ageNote} class="muted small">{t('watch_rule_olderThan_unavailable', service)}</p>}
        {/* What Save did, beside it: a live region there from the start, so the words are announced. */}
        <div class="row rule-save">
          <button type="submit" disabled={saving} aria-busy={saving}>{t('watch_rules_save')}</button>
          <p class={`small ${status?.kind ?? ''}`} role="status" aria-live="polite">{status?.text}</p>
        </div>
      </fieldset>
    </form>
  );
}
