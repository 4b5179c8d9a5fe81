/** Add an entry by pasting an otpauth link or by hand; also the edit form. */
import { useState } from 'preact/hooks';
import type { EntryForm as FormValues } from '../lib/messages';
import type { OtpEntry } from '../vault/types';
import { call } from './client';
import { useAction } from './useAction';

type Saved = { entry: OtpEntry; warnings: string[] };

export function AddEntry({ onSaved, onCancel, initialSite = '' }: {
  onSaved: (s: Saved) => void;
  onCancel?: () => void;
  initialSite?: string;
}) {
  const [mode, setMode] = useState<'uri' | 'manual'>('uri');
  return (
    <div class="stack">
      <div class="row" role="tablist" aria-label="How to add">
        <button type="button" role="tab" aria-selected={mode === 'uri'} class={mode === 'uri' ? 'primary' : ''}
          onClick={() => setMode('uri')}>Paste link</button>
        <button type="button" role="tab" aria-selected={mode === 'manual'} class={mode === 'manual' ? 'primary' : ''}
          onClick={() => setMode('manual')}>Enter manually</button>
      </div>
      {mode === 'uri'
        ? <UriForm onSaved={onSaved} onCancel={onCancel} />
        : <ManualForm onSaved={onSaved} onCancel={onCancel} initial={{ site: initialSite }} />}
    </div>
  );
}

function UriForm({ onSaved, onCancel }: { onSaved: (s: Saved) => void; onCancel?: () => void }) {
  const [uri, setUri] = useState('');
  const { busy, error, run } = useAction();
  async function submit(ev: Event) {
    ev.preventDefault();
    await run(async () => {
      onSaved(await call('entries/add-uri', { uri }));
      setUri('');
    });
  }
  return (
    <form class="stack" onSubmit={submit} aria-label="Add from link">
      <label>
        otpauth:// link
        <textarea name="uri" rows={3} autoFocus spellcheck={false} placeholder="otpauth://totp/Example:alice@example.com?secret=…"
          value={uri} onInput={(e) => setUri(e.currentTarget.value)} />
      </label>
      <p class="muted" style="font-size:12px">Sites show this link as a QR code on their two-factor setup page, often with a “can’t scan?” option that reveals it.</p>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="row">
        <button class="primary" type="submit" disabled={busy || !uri.trim()}>Add</button>
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
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
  const { busy, error, run } = useAction();
  const set = (k: keyof Fields) => (e: Event) =>
    setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  // Steam codes have 5 characters; leaving Steam goes back to the usual 6.
  const setType = (e: Event) => {
    const type = (e.currentTarget as HTMLSelectElement).value;
    setF({ ...f, type, digits: type === 'steam' ? '5' : f.digits === '5' ? '6' : f.digits });
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
    placeholder: secretTouched ? 'JBSW Y3DP EHPK 3PXP' : '•••••••• unchanged',
    onInput: (e: Event) => { setSecretTouched(true); set('secret')(e); },
  };
  const steam = f.type === 'steam';
  return (
    <form class="stack" onSubmit={submit} aria-label={editing ? 'Edit entry' : 'Add manually'}>
      <div class="row">
        <label class="grow">Issuer<input name="issuer" value={f.issuer} onInput={set('issuer')} placeholder="GitHub" /></label>
        <label class="grow">Account<input name="account" value={f.account} onInput={set('account')} placeholder="alice@example.com" /></label>
      </div>
      <div class="row bottom">
        <label class="grow">
          Secret key
          {shown ? <input type="text" {...secretInput} /> : <input type="password" {...secretInput} />}
        </label>
        {editing && <button type="button" aria-pressed={shown} onClick={toggleSecret}>{shown ? 'Hide' : 'Show'}</button>}
      </div>
      <details open={!!editing}>
        <summary class="muted">Advanced: type, algorithm, digits, period</summary>
        <div class="stack" style="margin-top:8px">
          <div class="row">
            <label class="grow">Type
              <select name="type" value={f.type} onChange={setType}>
                <option value="totp">Time-based (TOTP)</option>
                <option value="hotp">Counter-based (HOTP)</option>
                <option value="steam">Steam Guard</option>
              </select>
            </label>
            <label class="grow">Algorithm
              <select name="algorithm" value={f.algorithm} onChange={set('algorithm')} disabled={steam}>
                <option>SHA1</option><option>SHA256</option><option>SHA512</option>
              </select>
            </label>
          </div>
          <div class="row">
            <label class="grow">Digits
              <select name="digits" value={steam ? '5' : f.digits} onChange={set('digits')} disabled={steam}>
                {steam ? <option>5</option> : <><option>6</option><option>7</option><option>8</option></>}
              </select>
            </label>
            {f.type === 'hotp'
              ? <label class="grow">Counter<input name="counter" inputMode="numeric" value={f.counter} onInput={set('counter')} /></label>
              : <label class="grow">Period (seconds)<input name="period" inputMode="numeric" value={f.period} onInput={set('period')} disabled={steam} /></label>}
          </div>
        </div>
      </details>
      <label>Site (optional)<input name="site" value={f.site} onInput={set('site')} placeholder="github.com" /></label>
      <label>Note (optional)<input name="note" value={f.note} onInput={set('note')} /></label>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="row">
        <button class="primary" type="submit" disabled={busy}>{editing ? 'Save' : 'Add'}</button>
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
