/** Works out which export format a text is, from its content alone (file names and extensions lie). */
import { base32Error, normalizeBase32 } from '../base32';
import { aegis } from './aegis';
import { andOtp } from './andotp';
import { authenticatorExtension } from './authenticator-ext';
import { bitwardenJson, isBitwardenCsv } from './bitwarden';
import { csvHeader } from './csv';
import { enteEncrypted } from './ente-encrypted';
import { ImportError } from './errors';
import { freeOtpPlus } from './freeotp-plus';
import { describeKeys, isRecord, parseJsonDocument } from './json';
import type { JsonFormat } from './json-format';
import { looksLikeLinkList } from './link-list';
import { protonAuthenticator } from './proton';
import { revokeBackup } from './revoke-backup';
import { steamGuard } from './steam';
import { twofas } from './twofas';

/** Most specific shapes first; the Authenticator extension's "map of anything with a secret" comes last. */
export const JSON_FORMATS: readonly JsonFormat[] = [
  revokeBackup, aegis, twofas, bitwardenJson, protonAuthenticator, freeOtpPlus, steamGuard, andOtp, enteEncrypted,
  authenticatorExtension,
];

export type Detected =
  | { kind: 'json'; format: JsonFormat; doc: unknown }
  | { kind: 'bitwarden-csv' }
  | { kind: 'links' };

/** Throws ImportError 'unknown-format' naming what the text did look like, or 'corrupt' for broken JSON. */
export function detectFormat(text: string): Detected {
  if (/^\s*[[{]/.test(text)) {
    const doc = parseJsonDocument(text);
    const format = JSON_FORMATS.find((f) => f.matches(doc));
    if (!format) throw new ImportError('unknown-format', describeJson(doc));
    return { kind: 'json', format, doc };
  }
  if (isBitwardenCsv(text)) return { kind: 'bitwarden-csv' };
  if (looksLikeLinkList(text)) return { kind: 'links' };
  throw new ImportError('unknown-format', describeText(text));
}

function describeJson(doc: unknown): string {
  if (Array.isArray(doc)) {
    return doc.length === 0
      ? 'This is an empty JSON list: there is nothing to import.'
      : `This is a JSON list of ${doc.length} items, but not an export format Revoke knows.`;
  }
  if (isRecord(doc)) return `This is JSON, but not an export format Revoke knows (it has ${describeKeys(doc)}).`;
  return 'This is a single JSON value, not an export.';
}

function describeText(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'The file is empty.';
  if (trimmed.startsWith('<')) return 'This is an XML or HTML document, not an export format Revoke knows.';
  const columns = csvHeader(trimmed);
  if (columns.length >= 3) {
    const shown = columns.slice(0, 6).map((c) => JSON.stringify(c.slice(0, 20))).join(', ');
    return `This looks like a CSV file, but it has no login_totp column, so it is not a Bitwarden export (columns: ${shown}${columns.length > 6 ? ', …' : ''}).`;
  }
  if (!/\s/.test(trimmed) && trimmed.length <= 1024 && base32Error(normalizeBase32(trimmed)) === null) {
    return 'This looks like a bare secret key, not an export: add it with “Enter manually”.';
  }
  return 'This text has no otpauth:// or otpauth-migration:// links, and is not an export format Revoke knows.';
}
