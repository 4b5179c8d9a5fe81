/**
 * A password typed for one request (Matrix: signing Revoke in, or confirming that a device may be
 * ended). Controlled by its parent, which sends the value once and drops it.
 */
import { SIGN_IN_TEXT } from './sign-in-text';

export function PasswordField({ value, onInput, label = SIGN_IN_TEXT.password, help = SIGN_IN_TEXT.passwordHelp }: {
  value: string;
  onInput: (value: string) => void;
  label?: string;
  help?: string;
}) {
  return (
    <label>
      {label}
      <input type="password" name="password" autocomplete="current-password" required value={value}
        onInput={(e) => onInput(e.currentTarget.value)} />
      <span class="muted small">{help}</span>
    </label>
  );
}
