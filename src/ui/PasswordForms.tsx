/** First-run password, unlock and change-password forms, shared by popup and options. */
import { useState } from 'preact/hooks';
import type { Snapshot } from '../lib/messages';
import type { PasswordChange } from '../vault/types';
import { call, errorText } from './client';
import { useAction } from './useAction';
import { MIN_PASSWORD_LENGTH, passwordStrength } from './password-strength';

function StrengthMeter({ password }: { password: string }) {
  if (!password) return null;
  const s = passwordStrength(password);
  return (
    <div class="stack" style="gap:4px" aria-live="polite">
      <div class="meter" data-score={s.score} aria-hidden="true">
        <span style={{ width: `${(s.score + 1) * 20}%` }} />
      </div>
      <p class="muted" style="font-size:12px">
        <strong>{s.label}.</strong> {s.hint}
      </p>
    </div>
  );
}

/** Checks shared by first-run setup and change-password; null when fine. */
function newPasswordProblem(password: string, confirm: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password !== confirm) return 'The two passwords differ.';
  return null;
}

export function SetupForm({ onDone }: { onDone: (s: Snapshot) => void }) {
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
    <form class="stack" onSubmit={submit} aria-label="Create your vault password">
      <h1>Protect your codes</h1>
      <p class="muted">
        Choose a password for Revoke’s authenticator. Your codes are encrypted with it on this device and never leave
        it. It cannot be recovered if forgotten.
      </p>
      <label>
        Password
        <input type="password" name="password" autoComplete="new-password" autoFocus value={password}
          onInput={(e) => { setPassword(e.currentTarget.value); setError(''); }} />
      </label>
      <StrengthMeter password={password} />
      <label>
        Confirm password
        <input type="password" name="confirm" autoComplete="new-password" value={confirm}
          onInput={(e) => { setConfirm(e.currentTarget.value); setError(''); }} />
      </label>
      {(problem || error) && <p class="error" role="alert">{problem || error}</p>}
      <button class="primary" type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create vault'}</button>
    </form>
  );
}

export function UnlockForm({ onDone }: { onDone: (s: Snapshot) => void }) {
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useAction();
  async function submit(ev: Event) {
    ev.preventDefault();
    if (!password) return setError('Enter your password.');
    await run(async () => onDone(await call('vault/unlock', { password })), () => setPassword(''));
  }
  return (
    <form class="stack" onSubmit={submit} aria-label="Unlock">
      <h1>Revoke is locked</h1>
      <label>
        Password
        <input type="password" name="password" autoComplete="current-password" autoFocus value={password}
          disabled={busy} onInput={(e) => { setPassword(e.currentTarget.value); setError(''); }} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <button class="primary" type="submit" disabled={busy}>{busy ? 'Unlocking…' : 'Unlock'}</button>
    </form>
  );
}

/** What the person is told after a change: only what the background reports it did. */
export function passwordChangedText({ reencrypted, keptDamaged }: PasswordChange): string {
  const parts = ['Password changed.'];
  if (reencrypted !== null) {
    parts.push(reencrypted === 1 ? '1 code was re-encrypted under a new key.' : `${reencrypted} codes were re-encrypted under a new key.`);
  }
  const n = keptDamaged.length;
  if (n > 0) {
    parts.push(n === 1
      ? '1 damaged entry could not be re-encrypted: it was unreadable before and is left as it was.'
      : `${n} damaged entries could not be re-encrypted: they were unreadable before and are left as they were.`);
  }
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
    <form class="stack" onSubmit={submit} aria-label="Change password">
      <label>
        Current password
        <input type="password" name="old" autoComplete="current-password" value={oldPassword}
          onInput={(e) => { setOld(e.currentTarget.value); edited(); }} />
      </label>
      <label>
        New password
        <input type="password" name="new" autoComplete="new-password" value={newPassword}
          onInput={(e) => { setNew(e.currentTarget.value); edited(); }} />
      </label>
      <StrengthMeter password={newPassword} />
      <label>
        Confirm new password
        <input type="password" name="confirm" autoComplete="new-password" value={confirm}
          onInput={(e) => { setConfirm(e.currentTarget.value); edited(); }} />
      </label>
      <label class="inline">
        <input type="checkbox" name="newDataKey" checked={newDataKey} onChange={(e) => setNewDataKey(e.currentTarget.checked)} />
        Also re-encrypt every code under a new key (recommended if you think your password or a copy of your vault leaked)
      </label>
      <p class="muted">
        Otherwise the codes keep their key, and an old copy of your vault still opens with the old password.
      </p>
      {shown && <p class={shown.kind} role={shown.kind === 'error' ? 'alert' : 'status'}>{shown.text}</p>}
      <div><button type="submit" disabled={busy}>{busy ? (newDataKey ? 'Re-encrypting…' : 'Changing…') : 'Change password'}</button></div>
    </form>
  );
}
