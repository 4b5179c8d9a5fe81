/**
 * What the popup reads itself at start, instead of waiting for the worker (which is usually
 * stopped: Chromium stops it after 30 s idle, and starting it costs more than the read): the
 * vault snapshot, decrypted here with the key the worker left in storage.session, by the same
 * code the worker answers `vault/snapshot` with. Actions still go through the worker; so does
 * anything this read cannot answer. (The Sessions tab's read: local-overview.ts.)
 */
import browser from '../lib/browser';
import type { Snapshot } from '../lib/messages';
import { foundVaultLocked } from '../ui/client';
import { Vault } from '../vault/vault';
import { sessionKeyCache } from '../background/key-cache';
import { recordsRevision } from '../background/records-revision';
import { localRecordsCopy } from '../ui/records-copy';
import { createSettingsStore } from '../background/settings';
import { readSnapshot, storedClockSkew } from '../background/snapshot';

export async function readSnapshotHere(): Promise<Snapshot> {
  const keyCache = sessionKeyCache(browser.storage.session);
  // A Vault of its own, dropped when this returns: nothing decrypted is kept at module level. It
  // reads the records from the popup's copy when that is current, from the database otherwise.
  const vault = new Vault({ keyCache, copy: localRecordsCopy(recordsRevision(browser.storage.session).current) });
  try {
    const snapshot = await readSnapshot(vault, () => createSettingsStore(browser.storage.local).get(), () => storedClockSkew(browser.storage.session));
    // Locking clears the key before it tells the pages: a key gone now means a lock during the read,
    // whose broadcast might not come. Asked after the read but not waited for (it is a storage.session
    // round trip, up to 30 ms as the popup opens): a key found gone is a lock heard, and the lock
    // screen replaces the codes as it does for a lock while the popup is open (useLockScreen).
    if (snapshot.state === 'unlocked') void keyCache.held().then((held) => held || foundVaultLocked(), () => undefined);
    return snapshot;
  } finally {
    await vault.close();
  }
}
