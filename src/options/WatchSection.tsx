/**
 * The watch: how often Revoke audits the linked accounts (or not at all), and each account's rules
 * (src/sessions/rules.ts), all off until turned on. An account the audits cannot look at is shown
 * here with since when, for as long as it stays so.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AccountView, AuditedAccount, WatchState } from '../lib/messages';
import type { AccountRules } from '../sessions/rules';
import { listsOthers, RULE_LIMITS, rulesFor } from '../sessions/rules';
import { WATCH_HOURS } from '../background/watch-schedule';
import { call, errorText } from '../ui/client';
import { connectorName } from '../i18n/connector-text';
import { describeFailure, viewName } from '../ui/session-bits';
import { formatDateTime } from '../ui/time';
import { Untrusted } from '../ui/Untrusted';
import { visibleText } from '../lib/untrusted-text';
import { formatList, t, tp } from '../i18n/t';

type Status = { kind: 'okay' | 'error'; text: string } | null;

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
      setStatus({ kind: 'okay', text: auditSummary(audited, named) });
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
      <p class="okay" role="status" aria-live="polite">{status?.kind === 'okay' && status.text}</p>
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
            onSave={(rules) => apply(call('watch/rules', { accountId: a.accountId, rules }), t('watch_rules_saved', name))} />
        );
      })}
    </section>
  );
}

/**
 * What "Audit now" found, in a sentence or two: how many accounts it audited and what it found
 * there (new sign-ins, what rules did), then each account it could not audit, by name and why.
 */
export function auditSummary(audited: readonly AuditedAccount[], views: readonly AccountView[]): string {
  const looked = audited.filter((a) => !a.failure);
  const head = looked.length === audited.length ? tp('watch_run_audited', audited.length) : tp('watch_run_auditedOf', audited.length, looked.length);
  const sum = (f: (a: AuditedAccount) => number) => looked.reduce((n, a) => n + f(a), 0);
  const [signIns, acted] = [sum((a) => a.newSignIns), sum((a) => a.ruleActions)];
  const found = [...(signIns ? [tp('watch_run_newSignIns', signIns)] : []), ...(acted ? [tp('watch_run_ruleActions', acted)] : [])];
  const lines = looked.length === 0 ? [] : [found.length ? t('watch_run_found', head, formatList(found)) : t('watch_run_nothingNew', head)];
  for (const a of audited) {
    if (!a.failure) continue;
    const v = views.find((x) => x.account.id === a.accountId);
    const name = v ? visibleText(viewName(v)) : a.accountId;
    const { kind, message, said } = a.failure;
    lines.push(t('watch_run_failed', name, kind === 'signed-out' ? t('watch_problem_signedOut') : describeFailure(kind, message, said)));
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
  onSave: (r: AccountRules) => void;
}) {
  const [r, setR] = useState<AccountRules>(entry.rules);
  const ageNote = `watch-age-${entry.accountId}`;
  useEffect(() => setR(entry.rules), [JSON.stringify(entry.rules)]);
  const set = (patch: Partial<AccountRules>) => setR({ ...r, ...patch });
  const number = (v: string) => (v === '' ? null : Number(v));
  const p = entry.problem;
  return (
    <form class="stack" aria-label={name} data-account-id={entry.accountId} onSubmit={(e) => { e.preventDefault(); onSave(rulesFor(r, { list: othersListed, sessionStart: tellsAge })); }}>
      <fieldset class="stack" aria-describedby={auditsOff ? 'watch-rules-off' : undefined}>
        {/* A default name already says the service ("Any site (host)"): not twice. */}
        <legend><Untrusted text={name} />{!name.startsWith(service) && <> <span class="muted">· {service}</span></>}</legend>
        {p && <p class="error small">{t('watch_problem_since', formatDateTime(p.since), p.kind === 'signed-out' ? t('watch_problem_signedOut') : describeFailure(p.kind, p.message))}</p>}
        {/* Only where the service lists other sessions: no rule that never fires (rules.ts rulesFor). */}
        {othersListed ? (
          <>
            <div class="row rule-row">
              <label class="inline">
                <input type="checkbox" name="inactive" checked={r.inactiveDays !== null} onChange={(e) => set({ inactiveDays: e.currentTarget.checked ? 30 : null })} />
                {t('watch_rule_inactive')}
              </label>
              <label class="inline">
                <input type="number" name="inactiveDays" min={RULE_LIMITS.inactiveDays.min} max={RULE_LIMITS.inactiveDays.max} style="max-width:90px"
                  disabled={r.inactiveDays === null} value={r.inactiveDays ?? 30} onInput={(e) => set({ inactiveDays: number(e.currentTarget.value) })} />
                {t('watch_rule_days')}
              </label>
            </div>
            <label>
              {t('watch_rule_unrecognised')}
              <select name="unrecognised" class="fit" value={r.unrecognised} onChange={(e) => set({ unrecognised: e.currentTarget.value === 'end' ? 'end' : 'notify' })}>
                <option value="notify">{t('watch_rule_unrecognised_notify')}</option>
                <option value="end">{t('watch_rule_unrecognised_end')}</option>
              </select>
            </label>
          </>
        ) : <p class="muted small">{t(listsNone ? 'watch_rules_noList' : 'watch_rules_onlyThisBrowser', service)}</p>}
        <label class="inline">
          <input type="checkbox" name="signOutOnStart" checked={r.signOutOnStart} onChange={(e) => set({ signOutOnStart: e.currentTarget.checked })} />
          {t('watch_rule_onStart')}
        </label>
        <div class="row rule-row">
          <label class="inline">
            <input type="checkbox" name="olderThan" disabled={!tellsAge} aria-describedby={tellsAge ? undefined : ageNote}
              checked={tellsAge && r.signOutAfterHours !== null} onChange={(e) => set({ signOutAfterHours: e.currentTarget.checked ? 12 : null })} />
            {t('watch_rule_olderThan')}
          </label>
          <label class="inline">
            <input type="number" name="signOutAfterHours" min={RULE_LIMITS.signOutAfterHours.min} max={RULE_LIMITS.signOutAfterHours.max} style="max-width:90px"
              disabled={!tellsAge || r.signOutAfterHours === null} value={r.signOutAfterHours ?? 12} onInput={(e) => set({ signOutAfterHours: number(e.currentTarget.value) })} />
            {t('watch_rule_hours')}
          </label>
        </div>
        {/* Offered only where the service dates this browser's session (rules.ts rulesFor): no rule that never fires. */}
        {!tellsAge && <p id={ageNote} class="muted small">{t('watch_rule_olderThan_unavailable', service)}</p>}
        <div><button type="submit">{t('watch_rules_save')}</button></div>
      </fieldset>
    </form>
  );
}
