/** The vault's refusals. */

export type VaultErrorCode =
  | 'wrong-password'
  | 'weak-password'
  | 'not-initialized'
  | 'already-initialized'
  | 'locked'
  | 'not-found'
  | 'corrupt'
  | 'invalid-input';

/** Every refusal the vault makes; `code` matches the message protocol's ErrorCode. Messages are for people. */
export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

export const invalid = (message: string): never => {
  throw new VaultError('invalid-input', message);
};
