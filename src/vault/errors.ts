/** The vault's refusals. */
import type { Said } from '../i18n/t';

export type VaultErrorCode =
  | 'wrong-password'
  | 'weak-password'
  | 'not-initialized'
  | 'already-initialized'
  | 'locked'
  | 'not-found'
  | 'corrupt'
  | 'invalid-input'
  /** Another change reached the vault first; nothing was changed, and trying again works. */
  | 'conflict';

/** Every refusal the vault makes; `code` matches the message protocol's ErrorCode. Messages are for people. */
export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    /** What to tell the person, as a message key (the page puts it into words; see src/i18n). */
    readonly said?: Said,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

export const invalid = (message: string, said?: Said): never => {
  throw new VaultError('invalid-input', message, said);
};

/** The detail (which field) stays in the English message for a bug report; the person reads that the vault is damaged. */
export const damagedHeader = (problem: string) =>
  new VaultError('corrupt', `The vault cannot be opened: ${problem}.`, { key: 'vaultErr_damaged' });
export const notInitialized = () => new VaultError('not-initialized', 'There is no vault yet: choose a password first.', { key: 'vault_notInitialized' });
export const alreadyInitialized = () => new VaultError('already-initialized', 'The vault already exists.', { key: 'vault_alreadyInitialized' });
export const locked = () => new VaultError('locked', 'The vault is locked.', { key: 'vault_locked' });
export const wrongPassword = () => new VaultError('wrong-password', 'Wrong password.', { key: 'vault_wrongPassword' });
export const notFound = () => new VaultError('not-found', 'That entry no longer exists.', { key: 'vault_notFound' });
export const corruptEntry = () =>
  new VaultError('corrupt', 'That entry is damaged and cannot be decrypted; it can only be discarded.', { key: 'vault_corruptEntry' });
