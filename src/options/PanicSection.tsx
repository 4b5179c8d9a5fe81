/**
 * Panic's settings: turning it on (the browser's all-sites permission is asked for in that click,
 * a prompt needs the person's gesture; turning it off gives the permission back) and the sites it
 * keeps, picked from the sites this browser holds cookies for, grouped by site, with counts.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from '../lib/browser';
import type { PanicState } from '../lib/messages';
import { giveAllSitesBack, takeAllSites } from '../lib/panic-permission';
import { keepEntry } from '../sessions/panic-plan';
import { call, errorText } from '../ui/client';
import { Untrusted } from '../ui/Untrusted';
import { formatList, t, tp } from '../i18n/t';

export function PanicSection() {
  const [state, setState] = useState<PanicState | null>(null);
  const [error, setError] = useState('');
  const [typed, setTyped] = useState('');
  const [invalid, setInvalid] = useState(false);
  /** Hosts the browser took away with the all-sites permission and did not give back. */
  const [lost, setLost] = useState<string[]>([]);

  const load = () => call('panic/state', null).then(setState, (e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  /** What the person just asked for, shown until the browser and the background answered. */
  const [asked, setAsked] = useState<boolean | null>(null);

  async function toggle(on: boolean) {
    setError('');
    setAsked(on);
    try {
      if (on) {
        // Asked first, with nothing awaited before it: the click's gesture allows the prompt.
        const granted = await takeAllSites(browser.permissions);
        if (!granted) return setError(t('panic_denied'));
        setState(await call('panic/update', { enabled: true }));
      } else {
        // Given back first, in the click itself: a host it takes along is asked for again at once.
        setLost(await giveAllSitesBack(browser.permissions));
        await call('panic/update', { enabled: false });
        await load();
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setAsked(null);
    }
  }

  async function saveKeep(keep: string[]) {
    setError('');
    try {
      setState(await call('panic/update', { keep }));
    } catch (e) {
      setError(errorText(e));
    }
  }

  function add(e: Event) {
    e.preventDefault();
    const site = keepEntry(typed);
    if (!site || !state) return setInvalid(true);
    setTyped('');
    void saveKeep([...state.keep, site]);
  }

  if (!state) return <section aria-busy="true">{error && <p class="error" role="alert">{error}</p>}</section>;
  const on = state.enabled && state.permission;
  const counts = new Map((state.sites ?? []).map((s) => [s.site, s.cookies]));
  // Kept sites with no cookies now are listed too: the list is what panic will keep.
  const rows = [...(state.sites ?? []).map((s) => s.site), ...state.keep.filter((k) => !counts.has(k))];
  return (
    <section class="stack" aria-labelledby="panic-h">
      <h2 id="panic-h">{t('panic_section')}</h2>
      <p>{t('panic_intro')}</p>
      <p class="muted">{t('panic_order')}</p>
      <label class="inline">
        <input type="checkbox" name="panicEnabled" checked={asked ?? on} onChange={(e) => void toggle(e.currentTarget.checked)} />
        {t('panic_toggle')}
      </label>
      <p class="muted">{t('panic_permission')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {lost.length > 0 && <p class="notice" role="alert"><Untrusted text={t('panic_lostHosts', formatList(lost))} /></p>}
      <fieldset class="stack">
        <legend>{t('panic_keep_heading')}</legend>
        <p class="muted">{t('panic_keep_help')}</p>
        <p class="small" role="status">{tp('panic_kept_count', state.keep.length)}</p>
        {state.sites === null && <p class="muted">{t('panic_sites_off')}</p>}
        {state.sites !== null && rows.length === 0 && <p class="muted">{t('panic_sites_none')}</p>}
        {rows.length > 0 && (
          <ul class="keep-list" aria-label={t('panic_sites_label')}>
            {rows.map((site) => (
              <li key={site}>
                <label class="inline">
                  <input type="checkbox" checked={state.keep.includes(site)}
                    onChange={(e) => void saveKeep(e.currentTarget.checked ? [...state.keep, site] : state.keep.filter((k) => k !== site))} />
                  <Untrusted text={site} />
                  {counts.has(site) && <span class="muted small"> · {tp('panic_cookies', counts.get(site)!)}</span>}
                </label>
              </li>
            ))}
          </ul>
        )}
        <form class="row keep-add" onSubmit={add}>
          <label class="grow">
            {t('panic_keep_add_label')}
            <input name="keepSite" value={typed} aria-invalid={invalid} aria-describedby={invalid ? 'panic-keep-invalid' : undefined}
              onInput={(e) => { setTyped(e.currentTarget.value); setInvalid(false); }} />
          </label>
          <button type="submit">{t('panic_keep_add')}</button>
        </form>
        {invalid && <p id="panic-keep-invalid" class="error small" role="alert">{t('panic_keep_invalid')}</p>}
      </fieldset>
    </section>
  );
}
