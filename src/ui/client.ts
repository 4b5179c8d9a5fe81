/** The pages' one way to talk to the background: typed requests, typed errors, lock news. */
import browser from '../lib/browser';
import { AppError } from '../lib/messages';
import { createMessenger } from './messenger';
import { visibleText } from '../lib/untrusted-text';
import { say } from '../i18n/t';

const messenger = createMessenger(browser.runtime);

export const call = messenger.call;

/** Subscribes to "the vault is locked now" (broadcast or learnt from a reply); returns the unsubscribe. */
export const onVaultLocked = messenger.onLocked;

/** Tells the page's lock listeners that its own read found the vault locked. */
export const foundVaultLocked = messenger.foundLocked;

/**
 * An error in the browser's language when it says what it means (`said`); else its message.
 * Error messages can quote a site's answer or an imported file: hidden characters are shown escaped.
 */
export function errorText(e: unknown): string {
  if (e instanceof AppError && e.said) return visibleText(say(e.said));
  return visibleText(e instanceof Error ? e.message : String(e));
}

/** A "locked" refusal: the page's lock screen already answers it (useLockScreen), so no message is needed. */
export function isLockedError(e: unknown): boolean {
  return e instanceof AppError && e.code === 'locked';
}
