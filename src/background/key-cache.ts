/**
 * Where the unlocked data key waits between service-worker lifetimes:
 * storage.session is held in memory only, never written to disk, readable
 * only by the extension's own pages and worker, and emptied when the
 * browser closes — which is also "lock when the browser closes".
 */
import { decodeBase64, encodeBase64 } from '../vault/import/encoding';
import type { SessionArea } from './clipboard';

const KEY = 'vaultKey';

export function sessionKeyCache(session: SessionArea) {
  return {
    async get(): Promise<Uint8Array | null> {
      const v = (await session.get(KEY))[KEY];
      return typeof v === 'string' ? decodeBase64(v) : null;
    },
    async set(raw: Uint8Array): Promise<void> {
      await session.set({ [KEY]: encodeBase64(raw) });
    },
    /** Whether a key is held, without copying it out. */
    async held(): Promise<boolean> {
      return typeof (await session.get(KEY))[KEY] === 'string';
    },
    async clear(): Promise<void> {
      await session.remove(KEY);
    },
  };
}
