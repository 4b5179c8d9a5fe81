/** Add an entry by pasting an otpauth link or by hand; also the edit form. */
import { useState } from 'preact/hooks';
import type { EntryForm as FormValues } from '../lib/messages';
import type { OtpEntry } from '../vault/types';
import { call } from './client';
import { useAction } from './useAction';
import { useFocusOnMount } from './focus';
import { t } from '../i18n/t';

type Saved = { entry: OtpEntry; warnings: string[] };

export function AddEntry({ onSaved, onCancel, initialSite = '' }: {
  onSaved: (s: Saved) => void;
  onCancel?: () => void;
  initialSite?: string;
}) {
  const [mode, setMode] = useState<'uri' | 'manual'>('uri');
  return (
    <div class="stack">
      <div class="row" role="tablist" aria-label={t('entry_howToAdd')}>
        <button type="button" role="tab" aria-selected={mode === 'uri'} class={mode === 'uri' ? 'primary' : ''}
          onClick={() => setMode('uri')}>{t('entry_pasteLink')}</button>
        <button type="button" role="tab" aria-selected={mode === 'manual'} class={mode === 'manual' ? 'primary' : ''}
          onClick={() => setMode('manual')}>{t('entry_enterManually')}</button>
      </div>
      {mode === 'uri'
        ? <UriForm onSaved={onSaved} onCancel={onCancel} />
        : <ManualForm onSaved={onSaved} onCancel={onCancel} initial={{ site: initialSite }} />}
    </div>
  );
}

function UriForm({ onSaved, onCancel }: { onSaved: (s: Saved) => void; onCancel?: () => void }) {
  const focused = useFocusOnMount<HTMLTextAreaElement>();
  const [uri, setUri] = useState('');
  const { busy, error, setError, run } = useAction();
  async function submit(ev: Event) {
    ev.preventDefault();
    await run(async () => {
      onSaved(await call('entries/add-uri', { uri }));
      setUri('');
    });
  }
  return (
    <form class="stack" onSubmit={submit} aria-label={t('entry_fromLink_label')}>
      <label>
        {t('entry_link')}
        <textarea name="uri" rows={3} ref={focused} spellcheck={false} placeholder="otpauth://totp/Example:alice@example.com?secret=…"
          value={uri} onInput={(e) => { setUri(e.currentTarget.value); setError(''); }} />
      </label>
      <p class="muted" style="font-size:12px">{t('entry_linkHint')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="row">
        <button class="primary" type="submit" disabled={busy || !uri.trim()}>{t('action_add')}</button>
        {onCancel && <button type="button" onClick={onCancel}>{t('action_cancel')}</button>}
      </div>
    </form>
  );
}

const FIELD_DEFAULTS = { type: 'totp', secret: '', issuer: '', account: '', algorithm: 'SHA1', digits: '6', period: '30', counter: '0', note: '', site: '' };
type Fields = typeof FIELD_DEFAULTS;

/** The edit form's fields for an entry: everything but the secret, which is fetched from the entry only on "Show". */
export function entryToForm(e: OtpEntry): Omit<Fields, 'secret'> {
  return {
    type: e.type, issuer: e.issuer, account: e.account, algorithm: e.algorithm,
    digits: String(e.digits), period: String(e.period), counter: String(e.counter), note: e.note, site: e.site,
  };
}

export function ManualForm({ onSaved, onCancel, initial, editing }: {
  onSaved: (s: Saved) => void;
  onCancel?: () => void;
  initial?: Partial<Fields>;
  /** When set, the form edits this entry instead of adding one. */
  editing?: OtpEntry;
}) {
  const [f, setF] = useState<Fields>({ ...FIELD_DEFAULTS, ...(editing ? entryToForm(editing) : {}), ...initial });
  // Editing: the secret stays out of the form (and the page's DOM) until "Show"; typing replaces it.
  const [secretTouched, setSecretTouched] = useState(!editing);
  const [shown, setShown] = useState(!editing);
  const { busy, error, setError, run } = useAction();
  // An error speaks of what was sent: once a field changes, it no longer describes the form.
  const set = (k: keyof Fields) => (e: Event) => {
    setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
    setError('');
  };
  // Steam codes have 5 characters; leaving Steam goes back to the usual 6.
  const setType = (e: Event) => {
    const type = (e.currentTarget as HTMLSelectElement).value;
    setF({ ...f, type, digits: type === 'steam' ? '5' : f.digits === '5' ? '6' : f.digits });
    setError('');
  };
  function toggleSecret() {
    if (!editing) return;
    if (shown) {
      // Hiding drops the revealed secret from the form unless the person changed it.
      if (f.secret === editing.secret) { setF({ ...f, secret: '' }); setSecretTouched(false); }
      setShown(false);
    } else {
      if (!secretTouched) { setF({ ...f, secret: editing.secret }); setSecretTouched(true); }
      setShown(true);
    }
  }
  async function submit(ev: Event) {
    ev.preventDefault();
    const { secret, ...rest } = f;
    // An untouched secret is not sent: the background keeps the stored one.
    const form: FormValues = { ...rest, ...(secretTouched ? { secret } : {}), type: f.type as FormValues['type'] };
    await run(async () => {
      if (editing) onSaved({ entry: await call('entries/update', { id: editing.id, form }), warnings: [] });
      else onSaved(await call('entries/add-form', { form }));
    });
  }
  const secretInput = {
    name: 'secret', value: f.secret, spellcheck: false, autoComplete: 'off', style: 'font-family:var(--mono)',
    placeholder: secretTouched ? 'JBSW Y3DP EHPK 3PXP' : t('entry_secretUnchanged'),
    onInput: (e: Event) => { setSecretTouched(true); set('secret')(e); },
  };
  const steam = f.type === 'steam';
  return (
    <form class="stack" onSubmit={submit} aria-label={t(editing ? 'entry_edit_label' : 'entry_manual_label')}>
      <div class="row">
        <label class="grow">{t('entry_issuer')}<input name="issuer" value={f.issuer} onInput={set('issuer')} placeholder="GitHub" /></label>
        <label class="grow">{t('entry_account')}<input name="account" value={f.account} onInput={set('account')} placeholder="alice@example.com" /></label>
      </div>
      <div class="row bottom">
        <label class="grow">
          {t('entry_secret')}
          {shown ? <input type="text" {...secretInput} /> : <input type="password" {...secretInput} />}
        </label>
        {editing && <button type="button" aria-pressed={shown} onClick={toggleSecret}>{t(shown ? 'action_hide' : 'action_show')}</button>}
      </div>
      <details open={!!editing}>
        <summary class="muted">{t('entry_advanced')}</summary>
        <div class="stack" style="margin-top:8px">
          <div class="row">
            <label class="grow">{t('entry_type')}
              <select name="type" value={f.type} onChange={setType}>
                <option value="totp">{t('entry_type_totp')}</option>
                <option value="hotp">{t('entry_type_hotp')}</option>
                <option value="steam">{t('entry_type_steam')}</option>
              </select>
            </label>
            <label class="grow">{t('entry_algorithm')}
              <select name="algorithm" value={f.algorithm} onChange={set('algorithm')} disabled={steam}>
                <option>SHA1</option><option>SHA256</option><option>SHA512</option>
              </select>
            </label>
          </div>
          <div class="row">
            <label class="grow">{t('entry_digits')}
              <select name="digits" value={steam ? '5' : f.digits} onChange={set('digits')} disabled={steam}>
                {steam ? <option>5</option> : <><option>6</option><option>7</option><option>8</option></>}
              </select>
            </label>
            {f.type === 'hotp'
              ? <label class="grow">{t('entry_counter')}<input name="counter" inputMode="numeric" value={f.counter} onInput={set('counter')} /></label>
              : <label class="grow">{t('entry_period')}<input name="period" inputMode="numeric" value={f.period} onInput={set('period')} disabled={steam} /></label>}
          </div>
        </div>
      </details>
      <label>{t('entry_site')}<input name="site" value={f.site} onInput={set('site')} placeholder="github.com" /></label>
      <label>{t('entry_note')}<input name="note" value={f.note} onInput={set('note')} /></label>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="row">
        <button class="primary" type="submit" disabled={busy}>{t(editing ? 'action_save' : 'action_add')}</button>
        {onCancel && <button type="button" onClick={onCancel}>{t('action_cancel')}</button>}
      </div>
    </form>
  );
}
