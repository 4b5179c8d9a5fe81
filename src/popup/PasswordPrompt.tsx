/**
 * Revoke's password prompts in the popup, for services that ask for the account's password
 * (Matrix): confirming that devices may be ended (user-interactive auth), and signing Revoke in
 * again once its own sign-in ended. The password goes with one request and is then dropped.
 */
import { useState } from 'preact/hooks';
import { errorText } from '../ui/client';
import { PasswordField } from '../ui/PasswordField';
import { SIGN_IN_TEXT } from '../ui/sign-in-text';

/** The password field of a confirm step; the confirm form it sits in will not submit it empty. */
export function ConfirmPassword({ value, onInput }: { value: string; onInput: (v: string) => void }) {
  return <PasswordField value={value} onInput={onInput} help={SIGN_IN_TEXT.confirmWithPassword} />;
}

export function SignInAgain({ host, onSignIn }: { host: string; onSignIn: (password: string) => Promise<void> }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await onSignIn(password);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setPassword('');
      setBusy(false);
    }
  }
  return (
    <form class="stack" onSubmit={submit}>
      <p class="muted small">{SIGN_IN_TEXT.signedOut(host)}</p>
      <PasswordField value={password} onInput={setPassword} />
      {error && <p class="error small" role="alert">{error}</p>}
      <div><button type="submit" class="primary" disabled={busy}>{busy ? SIGN_IN_TEXT.signingIn : SIGN_IN_TEXT.signInAgain}</button></div>
    </form>
  );
}
