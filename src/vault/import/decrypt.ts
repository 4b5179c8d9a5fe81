/**
 * WebCrypto helpers for reading other apps' encrypted exports. Unlike the vault's deriveKek,
 * passwords are used exactly as typed (no Unicode normalisation): the bytes must match what the
 * other app derived its key from.
 */
import { utf8Encode } from './encoding';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

export function importAesKey(raw: Uint8Array): Promise<CryptoKey> {
  return subtle().importKey('raw', own(raw), { name: 'AES-GCM' }, false, ['decrypt']);
}

/** PBKDF2 straight to a 256-bit AES-GCM key. */
export async function pbkdf2AesKey(password: string, salt: Uint8Array, iterations: number, hash: 'SHA-1' | 'SHA-256'): Promise<CryptoKey> {
  const material = await subtle().importKey('raw', utf8Encode(password), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash, iterations, salt: own(salt) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt'],
  );
}

/** AES-GCM decryption of ciphertext||tag; null when authentication fails (wrong key or altered data). */
export async function gcmOpen(key: CryptoKey, iv: Uint8Array, ciphertextAndTag: Uint8Array): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: own(iv) }, key, own(ciphertextAndTag)));
  } catch {
    return null;
  }
}
