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

export function entryToForm(e: OtpEntry): typeof FIELD_DEFAULTS {
  return {
    type: e.type, secret: e.secret, issuer: e.issuer, account: e.account, algorithm: e.algorithm,
    digits: String(e.digits), period: String(e.period), counter: String(e.counter), note: e.note, site: e.site,
  };
}

export function ManualForm({ onSaved, onCancel, initial, editing }: {
  onSaved: (s: Saved) => void;
  onCancel?: () => void;
  initial?: Partial<typeof FIELD_DEFAULTS>;
  /** When set, the form edits this entry instead of adding one. */
  editing?: OtpEntry;
}) {
  const [f, setF] = useState({ ...FIELD_DEFAULTS, ...(editing ? entryToForm(editing) : {}), ...initial });
  const { busy, error, run } = useAction();
  const set = (k: keyof typeof FIELD_DEFAULTS) => (e: Event) =>
    setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  async function submit(ev: Event) {
    ev.preventDefault();
    const form: FormValues = { ...f, type: f.type as FormValues['type'] };
    await run(async () => {
      if (editing) onSaved({ entry: await call('entries/update', { id: editing.id, form }), warnings: [] });
      else onSaved(await call('entries/add-form', { form }));
    });
  }
  const steam = f.type === 'steam';
  return (
    <form class="stack" onSubmit={submit} aria-label={editing ? 'Edit entry' : 'Add manually'}>
      <div class="row">
        <label class="grow">Issuer<input name="issuer" value={f.issuer} onInput={set('issuer')} placeholder="GitHub" /></label>
        <label class="grow">Account<input name="account" value={f.account} onInput={set('account')} placeholder="alice@example.com" /></label>
      </div>
      <label>
        Secret key
        <input name="secret" value={f.secret} onInput={set('secret')} spellcheck={false} autoComplete="off"
          placeholder="JBSW Y3DP EHPK 3PXP" style="font-family:var(--mono)" />
      </label>
      <details open={!!editing}>
        <summary class="muted">Advanced: type, algorithm, digits, period</summary>
        <div class="stack" style="margin-top:8px">
          <div class="row">
            <label class="grow">Type
              <select name="type" value={f.type} onChange={set('type')}>
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
              <select name="digits" value={f.digits} onChange={set('digits')} disabled={steam}>
                <option>6</option><option>7</option><option>8</option>
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
