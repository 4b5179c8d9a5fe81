/**
 * The data key while the vault is unlocked. The raw key lives only in the injected KeyCache (in
 * the extension: storage.session, memory that dies with the browser), so a restarted service
 * worker is still unlocked; the imported CryptoKey is memoised beside it.
 */
import { DATA_KEY_BYTES, importDataKey, type Bytes } from './crypto';

/** Where the raw data key is kept while unlocked. Values handed in and out may be copies. */
export interface KeyCache {
  get(): Promise<Uint8Array | null>;
  set(raw: Uint8Array): Promise<void>;
  clear(): Promise<void>;
}

/** A KeyCache in this JavaScript context's memory, for tests (and anything without storage.session). */
export function memoryKeyCache(): KeyCache {
  let held: Uint8Array | null = null;
  return {
    get: async () => (held ? held.slice() : null),
    set: async (raw) => {
      held = raw.slice();
    },
    clear: async () => {
      held = null;
    },
  };
}

/**
 * The cache and the memoised import. The memo is trusted only while the cache still holds a key,
 * so every use asks the cache again: another context's lock may have cleared it.
 */
export class HeldKey {
  private memo: CryptoKey | null = null;

  constructor(private readonly cache: KeyCache) {}

  /** The cached raw key, or null; a value of the wrong size is not a key and is dropped. */
  async raw(): Promise<Uint8Array | null> {
    const raw = await this.cache.get();
    if (raw && raw.length === DATA_KEY_BYTES) return raw;
    if (raw) await this.cache.clear();
    return null;
  }

  /** The imported key for a value `raw()` returned; null (and the memo dropped) when it was null. */
  async imported(raw: Uint8Array | null): Promise<CryptoKey | null> {
    if (!raw) {
      this.memo = null;
      return null;
    }
    this.memo ??= await importDataKey(raw);
    return this.memo;
  }

  /** The imported key, or null when locked. */
  async current(): Promise<CryptoKey | null> {
    return this.imported(await this.raw());
  }

  async remember(raw: Bytes): Promise<void> {
    this.memo = null;
    await this.cache.set(raw);
  }

  async forget(): Promise<void> {
    this.memo = null;
    await this.cache.clear();
  }
}
