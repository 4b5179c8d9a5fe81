import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DATA_KEY_AAD, DATA_KEY_BYTES, GCM_TAG_BYTES, IV_BYTES, PAD_BLOCK_BYTES, SALT_BYTES,
  decryptJson, deriveKek, encryptJson, generateDataKey, importDataKey, newKdfParams, randomBytes, seal, unseal,
  unwrapDataKey, wrapDataKey, type KdfParams,
} from '../../src/vault/crypto';

const subtle = globalThis.crypto.subtle;
const text = (s: string) => new TextEncoder().encode(s);
const params = (iterations = 1000): KdfParams => newKdfParams(iterations);

async function rejectsAuth(p: Promise<unknown>) {
  await expect(p).rejects.toMatchObject({ name: 'OperationError' });
}

describe('randomBytes and KDF parameters', () => {
  it('gives fresh bytes of the asked length', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    expect(a).toHaveLength(32);
    expect(a).not.toEqual(b);
  });

  it('makes PBKDF2-SHA256 parameters with a random 16-byte salt', () => {
    const a = newKdfParams(600_000);
    const b = newKdfParams(600_000);
    expect(a).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 });
    expect(a.salt).toHaveLength(SALT_BYTES);
    expect(a.salt).not.toEqual(b.salt);
  });
});

describe('deriveKek', () => {
  it('is PBKDF2-HMAC-SHA256 over the UTF-8 password (checked against node:crypto)', async () => {
    const kdf = params(1234);
    const password = 'correct horse battery staple ✓';
    const reference = pbkdf2Sync(Buffer.from(password, 'utf8'), kdf.salt, 1234, 32, 'sha256');
    const referenceKey = await subtle.importKey('raw', new Uint8Array(reference), 'AES-GCM', false, ['encrypt']);
    const sealed = await seal(referenceKey, text('hello'), 'aad');
    const kek = await deriveKek(password, kdf);
    expect(new TextDecoder().decode(await unseal(kek, sealed, 'aad'))).toBe('hello');
  });

  it('gives a non-extractable AES-GCM key', async () => {
    const kek = await deriveKek('password1', params());
    expect(kek.extractable).toBe(false);
    expect(kek.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
  });

  it('treats composed and decomposed Unicode as the same password (NFC)', async () => {
    const kdf = params();
    const raw = generateDataKey();
    const wrapped = await wrapDataKey(await deriveKek('caf\u00e9-password', kdf), raw);
    expect(await unwrapDataKey(await deriveKek('cafe\u0301-password', kdf), wrapped)).toEqual(raw);
  });

  it('depends on password, salt and iteration count', async () => {
    const kdf = params(1000);
    const raw = generateDataKey();
    const wrapped = await wrapDataKey(await deriveKek('password1', kdf), raw);
    await rejectsAuth(unwrapDataKey(await deriveKek('password2', kdf), wrapped));
    await rejectsAuth(unwrapDataKey(await deriveKek('password1', { ...kdf, iterations: 1001 }), wrapped));
    await rejectsAuth(unwrapDataKey(await deriveKek('password1', { ...kdf, salt: randomBytes(SALT_BYTES) }), wrapped));
    expect(await unwrapDataKey(await deriveKek('password1', kdf), wrapped)).toEqual(raw);
  });
});

describe('data key wrapping', () => {
  it('round-trips a 32-byte key; the wrapped form is IV + key + tag sized', async () => {
    const kek = await deriveKek('password1', params());
    const raw = generateDataKey();
    expect(raw).toHaveLength(DATA_KEY_BYTES);
    const wrapped = await wrapDataKey(kek, raw);
    expect(wrapped.iv).toHaveLength(IV_BYTES);
    expect(wrapped.ciphertext).toHaveLength(DATA_KEY_BYTES + GCM_TAG_BYTES);
    expect(await unwrapDataKey(kek, wrapped)).toEqual(raw);
  });

  it('uses its own AAD: an entry ciphertext cannot pass for a wrapped key, nor the reverse', async () => {
    const kek = await deriveKek('password1', params());
    const raw = generateDataKey();
    const asEntry = await seal(kek, raw, 'revoke/entry/v1/x');
    await rejectsAuth(unwrapDataKey(kek, asEntry));
    const wrapped = await wrapDataKey(kek, raw);
    await rejectsAuth(unseal(kek, wrapped, 'revoke/entry/v1/x'));
    expect(await unseal(kek, wrapped, DATA_KEY_AAD)).toEqual(raw);
  });

  it('imports the data key as non-extractable and refuses wrong sizes', async () => {
    const key = await importDataKey(generateDataKey());
    expect(key.extractable).toBe(false);
    await expect(importDataKey(randomBytes(16))).rejects.toThrow(RangeError);
  });
});

describe('seal / unseal and JSON', () => {
  it('uses a fresh IV for every encryption', async () => {
    const key = await importDataKey(generateDataKey());
    const a = await seal(key, text('same'), 'aad');
    const b = await seal(key, text('same'), 'aad');
    expect(a.iv).not.toEqual(b.iv);
    expect(a.ciphertext).not.toEqual(b.ciphertext);
  });

  it('fails on the wrong AAD, a flipped ciphertext bit, a changed IV or a truncated tag', async () => {
    const key = await importDataKey(generateDataKey());
    const sealed = await encryptJson(key, { a: 1 }, 'revoke/entry/v1/a');
    await rejectsAuth(decryptJson(key, sealed, 'revoke/entry/v1/b'));
    const flipped = sealed.ciphertext.slice();
    flipped[3]! ^= 1;
    await rejectsAuth(decryptJson(key, { iv: sealed.iv, ciphertext: flipped }, 'revoke/entry/v1/a'));
    const iv = sealed.iv.slice();
    iv[0]! ^= 0x80;
    await rejectsAuth(decryptJson(key, { iv, ciphertext: sealed.ciphertext }, 'revoke/entry/v1/a'));
    await rejectsAuth(decryptJson(key, { iv: sealed.iv, ciphertext: sealed.ciphertext.slice(0, -1) }, 'revoke/entry/v1/a'));
    expect(await decryptJson(key, sealed, 'revoke/entry/v1/a')).toEqual({ a: 1 });
  });

  it('fails with another key', async () => {
    const sealed = await encryptJson(await importDataKey(generateDataKey()), 'x', 'aad');
    await rejectsAuth(decryptJson(await importDataKey(generateDataKey()), sealed, 'aad'));
  });

  it('pads JSON so ciphertext length reveals only a size class', async () => {
    const key = await importDataKey(generateDataKey());
    const short = await encryptJson(key, { issuer: 'X' }, 'aad');
    const longer = await encryptJson(key, { issuer: 'A much longer issuer name, Inc.' }, 'aad');
    expect(short.ciphertext.length).toBe(PAD_BLOCK_BYTES + GCM_TAG_BYTES);
    expect(longer.ciphertext.length).toBe(short.ciphertext.length);
    const big = await encryptJson(key, { note: 'n'.repeat(PAD_BLOCK_BYTES) }, 'aad');
    expect((big.ciphertext.length - GCM_TAG_BYTES) % PAD_BLOCK_BYTES).toBe(0);
    expect(await decryptJson(key, big, 'aad')).toEqual({ note: 'n'.repeat(PAD_BLOCK_BYTES) });
  });

  it('rejects an authentic plaintext that is not JSON', async () => {
    const key = await importDataKey(generateDataKey());
    const sealed = await seal(key, text('{not json'), 'aad');
    await expect(decryptJson(key, sealed, 'aad')).rejects.toBeInstanceOf(SyntaxError);
  });
});
