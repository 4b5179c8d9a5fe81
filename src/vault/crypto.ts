/**
 * WebCrypto building blocks for the vault: password-based key derivation, a random data key,
 * and AES-256-GCM with additional authenticated data. Pure functions: no storage, no state.
 */

/** Bytes backed by a plain ArrayBuffer, which is what WebCrypto and IndexedDB take. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** OWASP (2023) minimum for PBKDF2-HMAC-SHA256. */
export const PBKDF2_MIN_ITERATIONS = 600_000;
export const SALT_BYTES = 16;
/** 96 bits: the nonce size GCM is specified for; a fresh random one for every encryption. */
export const IV_BYTES = 12;
export const DATA_KEY_BYTES = 32;
/** GCM appends a 128-bit tag to every ciphertext. */
export const GCM_TAG_BYTES = 16;

/** Binds the wrapped data key to its role, so no other ciphertext can be passed off as it. */
export const DATA_KEY_AAD = 'revoke/datakey/v1';

/** The AAD that binds an entry's ciphertext to its id: a record moved or swapped fails to decrypt. */
export const entryAad = (id: string): string => `revoke/entry/v1/${id}`;

/** How WebCrypto reports a GCM authentication failure: wrong key, wrong AAD or altered bytes. */
export const isAuthFailure = (e: unknown): boolean => (e as { name?: unknown } | null)?.name === 'OperationError';

/**
 * Plaintexts are padded to a multiple of this many bytes: otherwise a ciphertext's length gives
 * away the length of the issuer and account inside it, which narrows guesses at what they are.
 */
export const PAD_BLOCK_BYTES = 128;

export interface KdfParams {
  name: 'PBKDF2';
  hash: 'SHA-256';
  iterations: number;
  salt: Bytes;
}

/** An AES-GCM ciphertext (tag included) with the IV it was made with. */
export interface Sealed {
  iv: Bytes;
  ciphertext: Bytes;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const encoder = new TextEncoder();
// fatal: a plaintext that is not UTF-8 is damage, not text to guess at.
const decoder = new TextDecoder('utf-8', { fatal: true });

export function randomBytes(length: number): Bytes {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

export function newKdfParams(iterations: number): KdfParams {
  return { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: randomBytes(SALT_BYTES) };
}

/**
 * The key-encryption key for a password. The password is NFC-normalised first: the same
 * characters typed through another keyboard or input method must give the same key.
 */
export async function deriveKek(password: string, kdf: KdfParams): Promise<CryptoKey> {
  const material = await subtle().importKey('raw', encoder.encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: kdf.hash, iterations: kdf.iterations, salt: kdf.salt },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** A new random data key, as raw bytes: they are what the key cache keeps while unlocked. */
export function generateDataKey(): Bytes {
  return randomBytes(DATA_KEY_BYTES);
}

/** The data key as a non-extractable CryptoKey for encrypting entries. */
export async function importDataKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== DATA_KEY_BYTES) throw new RangeError(`A data key has ${DATA_KEY_BYTES} bytes, not ${raw.length}.`);
  return subtle().importKey('raw', new Uint8Array(raw), { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export async function seal(key: CryptoKey, plaintext: Bytes, aad: string): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES);
  const ciphertext = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(aad) }, key, plaintext);
  return { iv, ciphertext: new Uint8Array(ciphertext) };
}

/** Throws (a DOMException named OperationError) when the key, the AAD or any byte is wrong. */
export async function unseal(key: CryptoKey, sealed: Sealed, aad: string): Promise<Bytes> {
  const plaintext = await subtle().decrypt(
    { name: 'AES-GCM', iv: sealed.iv, additionalData: encoder.encode(aad) },
    key,
    sealed.ciphertext,
  );
  return new Uint8Array(plaintext);
}

export function wrapDataKey(kek: CryptoKey, rawDataKey: Bytes): Promise<Sealed> {
  return seal(kek, rawDataKey, DATA_KEY_AAD);
}

/** Throws when the KEK is wrong, i.e. the password was wrong (or the wrapped key was altered). */
export function unwrapDataKey(kek: CryptoKey, wrapped: Sealed): Promise<Bytes> {
  return unseal(kek, wrapped, DATA_KEY_AAD);
}

/** JSON, padded with trailing spaces (which JSON.parse ignores) to a multiple of PAD_BLOCK_BYTES. */
export function encryptJson(key: CryptoKey, value: unknown, aad: string): Promise<Sealed> {
  const json = encoder.encode(JSON.stringify(value));
  const padded = new Uint8Array(Math.ceil(json.length / PAD_BLOCK_BYTES) * PAD_BLOCK_BYTES).fill(0x20);
  padded.set(json);
  return seal(key, padded, aad);
}

/** Throws when authentication fails or the plaintext is not JSON. */
export async function decryptJson(key: CryptoKey, sealed: Sealed, aad: string): Promise<unknown> {
  return JSON.parse(decoder.decode(await unseal(key, sealed, aad)));
}
