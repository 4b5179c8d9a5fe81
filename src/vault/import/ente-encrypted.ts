/**
 * Ente Auth's encrypted export ({ kdfParams: { memLimit, opsLimit, salt }, encryptedData,
 * encryptionNonce }): Argon2id plus libsodium's XChaCha20-Poly1305 secretstream. Recognised so the
 * user is told what to do; reading it would need an XChaCha20-Poly1305 implementation (e.g.
 * @noble/ciphers), which Revoke does not ship.
 */
import { unsupported } from './errors';
import { hasField, isRecord } from './json';
import type { JsonFormat } from './json-format';

export const enteEncrypted: JsonFormat = {
  name: 'words_formatEnte',
  matches: (doc) => isRecord(doc) && hasField(doc, 'kdfParams') && hasField(doc, 'encryptedData'),
  read() {
    throw unsupported('importErr_enteEncrypted');
  },
};
