/**
 * The words of the pieces for services Revoke signs in to itself (Matrix): the linking form's
 * fields and the popup's password prompt, in the browser's language (read when shown).
 */
import { t } from '../i18n/t';

export const SIGN_IN_TEXT = {
  get password() { return t('password'); },
  get passwordHelp() { return t('signIn_passwordHelp'); },
  get finding() { return t('signIn_finding'); },
  found: (homeserver: string) => t('signIn_found', homeserver),
  signedOut: (host: string) => t('signIn_signedOut', host),
  get signInAgain() { return t('signIn_again'); },
  get signingIn() { return t('signIn_signingIn'); },
  get confirmWithPassword() { return t('signIn_confirmWithPassword'); },
};
