/**
 * The words of the pieces for services Revoke signs in to itself (Matrix): the linking form's
 * fields and the popup's password prompt. In one place for the translation work.
 */
export const SIGN_IN_TEXT = {
  password: 'Password',
  passwordHelp: 'Used for this one request, never stored.',
  finding: 'Finding the homeserver…',
  found: (homeserver: string) => `Homeserver found: ${homeserver}`,
  signedOut: (host: string) => `Revoke is not signed in to ${host} (its sign-in ends when the browser closes, or when a device list ends it).`,
  signInAgain: 'Sign in again',
  signingIn: 'Signing in…',
  confirmWithPassword: 'Your password confirms this; Revoke sends it only with this request.',
} as const;
