/**
 * 2FAS Authenticator backup (.2fas, or .json for schema 1): { services: [{ name, secret, otp: {
 * account, issuer, digits, period, algorithm, tokenType: TOTP | HOTP | STEAM, counter } }],
 * schemaVersion }. Schema 1 has no otp parameters at all: those are 6-digit SHA1 30 s codes.
 * Encrypted: servicesEncrypted = b64(ciphertext+tag):b64(salt):b64(iv), AES-256-GCM under
 * PBKDF2-HMAC-SHA256(password, salt, 10,000), plaintext the services array. `reference` is a known
 * text encrypted the same way, used here to tell a wrong password from a damaged file.
 */
import { EntryCollector, entryLabel } from './collector';
import { decodeBase64, decodeUtf8 } from './encoding';
import { corrupt, said, wrongPassword } from './errors';
import { gcmOpen, pbkdf2AesKey } from './decrypt';
import { field, hasField, isRecord, parseInnerJson, textField } from './json';
import { needsPassword, type JsonFormat } from './json-format';
import type { ImportResult } from './types';

const NAME = 'words_format2fas';
const PBKDF2_ITERATIONS = 10_000;
const TOKEN_TYPES: Record<string, string> = { TOTP: 'totp', HOTP: 'hotp', STEAM: 'steam' };

export const twofas: JsonFormat = {
  name: NAME,
  matches: (doc) => isRecord(doc) && hasField(doc, 'schemaVersion') && (hasField(doc, 'services') || hasField(doc, 'servicesEncrypted')),
  async read(doc, { password }) {
    const encrypted = textField(doc, 'servicesEncrypted');
    if (!encrypted) return readServices(field(doc, 'services'), false);
    if (!password) return needsPassword(NAME);
    return readServices(await decryptServices(encrypted, textField(doc, 'reference'), password), true);
  },
};

function readServices(services: unknown, encrypted: boolean): ImportResult {
  if (!Array.isArray(services)) throw corrupt('importErr_twofasNoServices');
  const collector = new EntryCollector();
  services.forEach((service: unknown, i) => {
    const otp = field(service, 'otp');
    // 2FAS shows the service name, which the user can edit; otp.issuer is what the site first said.
    const issuer = field(service, 'name') || field(otp, 'issuer');
    const label = entryLabel(issuer, field(otp, 'account'), () => said('importErr_labelService', i + 1));
    const tokenType = field(otp, 'tokenType');
    const type = tokenType === undefined ? 'totp' : typeof tokenType === 'string' ? TOKEN_TYPES[tokenType.toUpperCase()] : undefined;
    if (!type) {
      collector.reject(label, said('importErr_twofasType', JSON.stringify(String(tokenType).slice(0, 20))));
      return;
    }
    collector.add({
      type, secret: field(service, 'secret'), algorithm: field(otp, 'algorithm'), digits: field(otp, 'digits'),
      period: field(otp, 'period'), counter: field(otp, 'counter'), issuer, account: field(otp, 'account'),
    }, { sourceLabel: label });
  });
  return collector.result(NAME, encrypted);
}

interface Sealed2fas {
  data: Uint8Array;
  salt: Uint8Array;
  iv: Uint8Array;
}

function splitSealed(text: string, damaged: 'importErr_twofasSealed' | 'importErr_twofasCheck'): Sealed2fas {
  const [data, salt, iv] = text.split(':').map((part) => decodeBase64(part));
  if (!data || !salt || !iv || data.length < 16 || iv.length === 0) throw corrupt(damaged);
  return { data, salt, iv };
}

async function decryptServices(encrypted: string, reference: string | undefined, password: string): Promise<unknown> {
  const services = splitSealed(encrypted, 'importErr_twofasSealed');
  const key = await pbkdf2AesKey(password, services.salt, PBKDF2_ITERATIONS, 'SHA-256');
  const plaintext = await gcmOpen(key, services.iv, services.data);
  if (!plaintext) {
    // The reference was sealed with the same password and salt: if it opens, the password is right.
    const ref = reference ? splitSealed(reference, 'importErr_twofasCheck') : null;
    const sameSalt = ref && ref.salt.length === services.salt.length && ref.salt.every((b, i) => b === services.salt[i]);
    if (ref && sameSalt && (await gcmOpen(key, ref.iv, ref.data))) {
      throw corrupt('importErr_twofasAltered');
    }
    throw wrongPassword('importErr_twofasWrongPassword');
  }
  const text = decodeUtf8(plaintext);
  if (text === null) throw corrupt('importErr_twofasNotText');
  return parseInnerJson(text, said('importErr_twofasServices'));
}
