/** Which tab the popup opens on. Decided before the first paint, from localStorage alone. */
import { vaultKnownToExist } from '../ui/vault-hint';

export type Tab = 'codes' | 'sessions';
export const TAB_KEY = 'revoke:popup-tab';

/**
 * Sessions until an authenticator exists (the Codes tab would only offer to create one);
 * after that the tab last used, since people mostly come for one of the two, Codes at first.
 */
export function chooseStartTab(lastUsed: string | null, vaultExists: boolean): Tab {
  if (!vaultExists) return 'sessions';
  return lastUsed === 'sessions' ? 'sessions' : 'codes';
}

export function startTab(store: Pick<Storage, 'getItem'> = localStorage): Tab {
  return chooseStartTab(store.getItem(TAB_KEY), vaultKnownToExist(store));
}

/**
 * The Codes tab needs the vault; so does a Sessions tab chosen only because no vault was known of
 * (the snapshot may find one, and bring the usual tab back). Otherwise it is read once Codes is opened.
 */
export function snapshotNeeded(tab: Tab, store: Pick<Storage, 'getItem'> = localStorage): boolean {
  return tab === 'codes' || !vaultKnownToExist(store);
}
