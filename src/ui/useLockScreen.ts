import { useLayoutEffect } from 'preact/hooks';
import { afterLock, type Snapshot } from '../lib/messages';
import { call, onVaultLocked } from './client';

/**
 * Keeps a page's snapshot honest about locking: the moment the page hears of a lock (the broadcast,
 * a reply that says so, or a "locked" error; see messenger.ts) its entries give way to the lock screen. Every view that holds decrypted
 * data sits below the snapshot, so it unmounts and its state goes with it.
 */
export function useLockScreen(setSnapshot: (update: (s: Snapshot | null) => Snapshot | null) => void): void {
  // A layout effect: listening from the first commit, before any effect of the page can take a snapshot.
  useLayoutEffect(() => {
    const stop = onVaultLocked(() => setSnapshot(afterLock));
    // A page restored from the back/forward cache heard no broadcast while it was there: ask again.
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) call('vault/snapshot', null).then((s) => setSnapshot(() => s), () => undefined);
    };
    addEventListener('pageshow', onShow);
    return () => {
      stop();
      removeEventListener('pageshow', onShow);
    };
  }, []);
}
