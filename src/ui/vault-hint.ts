/**
 * Whether an authenticator vault exists, remembered in the extension's localStorage (shared by
 * its pages) so the popup can pick its first tab synchronously, before any answer from the worker.
 * A hint only: the snapshot that follows is the truth, and corrects it.
 */
export const VAULT_HINT_KEY = 'revoke:vault-exists';

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function vaultKnownToExist(store: Pick<Storage, 'getItem'> = localStorage): boolean {
  return store.getItem(VAULT_HINT_KEY) === '1';
}

/** Records what a snapshot said; true when the hint was wrong until now. */
export function rememberVaultState(state: 'uninitialized' | 'locked' | 'unlocked', store: Store = localStorage): boolean {
  const exists = state !== 'uninitialized';
  const was = vaultKnownToExist(store);
  if (exists) store.setItem(VAULT_HINT_KEY, '1');
  else store.removeItem(VAULT_HINT_KEY);
  return was !== exists;
}
