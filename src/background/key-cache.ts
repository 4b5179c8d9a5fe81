/**
 * Where the unlocked data key waits between service-worker lifetimes:
 * storage.session is held in memory only, never written to disk, readable
 * only by the extension's own pages and worker, and emptied when the
 * browser closes — which is also "lock when the browser closes".
 */
import type { SessionArea } from './clipboard';

const KEY = 'vaultKey';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function sessionKeyCache(session: SessionArea) {
  return {
    async get(): Promise<Uint8Array | null> {
      const v = (await session.get(KEY))[KEY];
      return typeof v === 'string' ? fromBase64(v) : null;
    },
    async set(raw: Uint8Array): Promise<void> {
      await session.set({ [KEY]: toBase64(raw) });
    },
    async clear(): Promise<void> {
      await session.remove(KEY);
    },
  };
}
