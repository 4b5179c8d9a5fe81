/** First-run password, unlock and change-password forms, shared by popup and options. */
import { useState } from 'preact/hooks';
import type { Snapshot } from '../lib/messages';
import type { PasswordChange } from '../vault/types';
import { dropRecordsCopy } from './records-copy';
import { call, errorText } from './client';
import { useAction } from './useAction';
import { useFocusOnMount } from './focus';
import { MIN_PASSWORD_LENGTH, passwordStrength } from './password-strength';
import { say, t, tp } from '../i18n/t';

function StrengthMeter({ password }: { password: string }) {
  if (!password) return null;
  const s = passwordStrength(password);
  return (
    <div class="stack" style="gap:4px" aria-live="polite">
      <div class="meter" data-score={s.score} aria-hidden="true">
        <span style={{ width: `${(s.score + 1) * 20}%` }} />
      </div>
      <p class="muted" style="font-size:12px">
        <strong>{t(s.label)}.</strong> {say(s.hint)}
      </p>
    </div>
  );
}

/** Checks shared by first-run setup and change-password; null when fine. */
function newPasswordProblem(password: string, confirm: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return t('password_tooShortProblem', MIN_PASSWORD_LENGTH);
  if (password !== confirm) return t('password_differ');
  return null;
}

export function SetupForm({ onDone }: { onDone: (s: Snapshot) => void }) {
  const focused = useFocusOnMount<HTMLInputElement>();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, setError, run } = useAction();
  // After a refused submit the problem follows the input: it goes once the input is fine.
  const [checked, setChecked] = useState(false);
  const problem = checked ? newPasswordProblem(password, confirm) : null;
  async function submit(ev: Event) {
    ev.preventDefault();
    setChecked(true);
    if (newPasswordProblem(password, confirm)) return;
    await run(async () => onDone(await call('vault/setup', { password })));
  }
  return (
    <form class="stack" onSubmit={submit} aria-label={t('setup_label')}>
      <h1>{t('setup_heading')}</h1>
      <p class="muted">{t('setup_intro')}</p>
      <label>
        {t('password')}
        <input type="password" name="password" autoComplete="new-password" ref={focused} value={password}
          onInput={(e) => { setPassword(e.currentTarget.value); setError(''); }} />
      </label>
      <StrengthMeter password={password} />
      <label>
        {t('password_confirm')}
        <input type="password" name="confirm" autoComplete="new-password" value={confirm}
          onInput={(e) => { setConfirm(e.currentTarget.value); setError(''); }} />
      </label>
      {(problem || error) && <p class="error" role="alert">{problem || error}</p>}
      <button class="primary" type="submit" disabled={busy}>{t(busy ? 'setup_creating' : 'setup_create')}</button>
    </form>
  );
}

export function UnlockForm({ onDone }: { onDone: (s: Snapshot) => void }) {
  const focused = useFocusOnMount<HTMLInputElement>();
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useAction();
  async function submit(ev: Event) {
    ev.preventDefault();
    if (!password) return setError(t('unlock_enterPassword'));
    await run(async () => onDone(await call('vault/unlock', { password })), () => setPassword(''));
  }
  return (
    <form class="stack" onSubmit={submit} aria-label={t('unlock_label')}>
      <h1>{t('unlock_heading')}</h1>
      <label>
        {t('password')}
        <input type="password" name="password" autoComplete="current-password" ref={focused} value={password}
          disabled={busy} onInput={(e) => { setPassword(e.currentTarget.value); setError(''); }} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <button class="primary" type="submit" disabled={busy}>{t(busy ? 'unlock_busy' : 'unlock_label')}</button>
    </form>
  );
}

/** What the person is told after a change: only what the background reports it did. */
export function passwordChangedText({ reencrypted, keptDamaged }: PasswordChange): string {
  const parts = [t('passwordChanged')];
  if (reencrypted !== null) parts.push(tp('passwordChanged_reencrypted', reencrypted));
  if (keptDamaged.length > 0) parts.push(tp('passwordChanged_keptDamaged', keptDamaged.length));
  return parts.join(' ');
}

export function ChangePasswordForm() {
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [newDataKey, setNewDataKey] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'okay'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState(false);
  // As in SetupForm: a refused submit's problem is shown only while it still holds.
  const problem = checked ? newPasswordProblem(newPassword, confirm) : null;
  const shown = problem ? { kind: 'error' as const, text: problem } : message;
  const edited = () => {
    if (message?.kind === 'error') setMessage(null);
  };
  async function submit(ev: Event) {
    ev.preventDefault();
    setChecked(true);
    if (newPasswordProblem(newPassword, confirm)) return;
    setChecked(false);
    setBusy(true);
    setMessage(null);
    try {
      const result = await call('vault/change-password', { oldPassword, newPassword, newDataKey });
      // The popup's copy holds the records under the old data key: gone with it (the copy would no longer be used anyway).
      if (newDataKey) dropRecordsCopy();
      setOld('');
      setNew('');
      setConfirm('');
      setNewDataKey(false);
      setMessage({ kind: 'okay', text: passwordChangedText(result) });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="stack" onSubmit={submit} aria-label={t('changePassword')}>
      <label>
        {t('password_current')}
        <input type="password" name="old" autoComplete="current-password" value={oldPassword}
          onInput={(e) => { setOld(e.currentTarget.value); edited(); }} />
      </label>
      <label>
        {t('password_new')}
        <input type="password" name="new" autoComplete="new-password" value={newPassword}
          onInput={(e) => { setNew(e.currentTarget.value); edited(); }} />
      </label>
      <StrengthMeter password={newPassword} />
      <label>
        {t('password_confirmNew')}
        <input type="password" name="confirm" autoComplete="new-password" value={confirm}
          onInput={(e) => { setConfirm(e.currentTarget.value); edited(); }} />
      </label>
      <label class="inline">
        <input type="checkbox" name="newDataKey" checked={newDataKey} onChange={(e) => setNewDataKey(e.currentTarget.checked)} />
        {t('changePassword_newKey')}
      </label>
      <p class="muted">{t('changePassword_newKeyHint')}</p>
      {shown && <p class={shown.kind} role={shown.kind === 'error' ? 'alert' : 'status'}>{shown.text}</p>}
      <div><button type="submit" disabled={busy}>{t(busy ? (newDataKey ? 'changePassword_reencrypting' : 'changePassword_changing') : 'changePassword')}</button></div>
    </form>
  );
}
