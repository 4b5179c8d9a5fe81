/**
 * What the popup reads itself at start, instead of waiting for the worker (which is usually
 * stopped: Chromium stops it after 30 s idle, and starting it costs more than the read): the
 * vault snapshot, decrypted here with the key the worker left in storage.session, by the same
 * code the worker answers `vault/snapshot` with. Actions still go through the worker; so does
 * anything this read cannot answer. (The Sessions tab's read: local-overview.ts.)
 */
import browser from '../lib/browser';
import { afterLock, type Snapshot } from '../lib/messages';
import { Vault } from '../vault/vault';
import { sessionKeyCache } from '../background/key-cache';
import { createSettingsStore } from '../background/settings';
import { readSnapshot, storedClockSkew } from '../background/snapshot';

export async function readSnapshotHere(): Promise<Snapshot> {
  const keyCache = sessionKeyCache(browser.storage.session);
  // A Vault of its own, dropped when this returns: nothing decrypted is kept at module level.
  const vault = new Vault({ keyCache });
  try {
    const snapshot = await readSnapshot(vault, () => createSettingsStore(browser.storage.local).get(), () => storedClockSkew(browser.storage.session));
    // Locking clears the key before it tells the pages: a key gone now means a lock during the read.
    if (snapshot.state === 'unlocked' && !(await keyCache.held())) return afterLock(snapshot);
    return snapshot;
  } finally {
    await vault.close();
  }
}
