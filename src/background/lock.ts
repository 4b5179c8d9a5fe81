/**
 * The one way the background locks the vault, whatever asked for it (the lock button, the
 * auto-lock alarm, the screen locking): forget the key, stop the auto-lock timer, and tell every
 * open page so it drops what it decrypted and shows the lock screen at once.
 */
import type { PageEvent } from '../lib/messages';

export interface LockDeps {
  vault: { lock(): Promise<void> };
  stopAutoLock(): Promise<void>;
  /** Sends an event to every open extension page. */
  tellPages(event: PageEvent): Promise<void>;
}

export function createLocker(deps: LockDeps): () => Promise<void> {
  return async () => {
    await deps.vault.lock();
    try {
      await deps.stopAutoLock();
    } finally {
      // The pages are told even if the timer could not be cleared: a stale alarm only locks again.
      await deps.tellPages({ event: 'vault/locked' });
    }
  };
}

/**
 * Broadcasts to the extension's pages through `runtime.sendMessage`. With no page open the
 * browser rejects ("Receiving end does not exist"): that is the normal case, not an error.
 * A page that misses the event learns of the lock from its next call's reply instead.
 */
export function pageBroadcaster(runtime: { sendMessage(message: unknown): Promise<unknown> }) {
  return async (event: PageEvent): Promise<void> => {
    await runtime.sendMessage(event).catch(() => undefined);
  };
}
