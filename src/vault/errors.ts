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
