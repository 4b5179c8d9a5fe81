/** Works out which export format a text is, from its content alone (file names and extensions lie). */
import { base32Problem, normalizeBase32 } from '../base32';
import { aegis } from './aegis';
import { andOtp } from './andotp';
import { authenticatorExtension } from './authenticator-ext';
import { bitwardenJson, isBitwardenCsv } from './bitwarden';
import { csvHeader } from './csv';
import { enteEncrypted } from './ente-encrypted';
import { importError } from './errors';
import { t, type MessageKey, type Sub } from '../../i18n/t';
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
    if (!format) throw importError('unknown-format', ...describeJson(doc));
    return { kind: 'json', format, doc };
  }
  if (isBitwardenCsv(text)) return { kind: 'bitwarden-csv' };
  if (looksLikeLinkList(text)) return { kind: 'links' };
  throw importError('unknown-format', ...describeText(text));
}

/** What a JSON document that is no known export looks like, as a message key and its substitutions. */
function describeJson(doc: unknown): [MessageKey, ...Sub[]] {
  if (Array.isArray(doc)) return doc.length === 0 ? ['importErr_emptyList'] : ['importErr_jsonList', doc.length];
  if (isRecord(doc)) return ['importErr_jsonObject', describeKeys(doc)];
  return ['importErr_jsonValue'];
}

/** What a text that is no known export looks like. */
function describeText(text: string): [MessageKey, ...Sub[]] {
  const trimmed = text.trim();
  if (!trimmed) return ['importErr_empty'];
  if (trimmed.startsWith('<')) return ['importErr_markup'];
  const columns = csvHeader(trimmed);
  if (columns.length >= 3) {
    const shown = columns.slice(0, 6).map((c) => JSON.stringify(c.slice(0, 20))).join(', ');
    return ['importErr_csv', `${shown}${columns.length > 6 ? ', …' : ''}`];
  }
  if (!/\s/.test(trimmed) && trimmed.length <= 1024 && base32Problem(normalizeBase32(trimmed)) === null) {
    return ['importErr_bareSecret', t('entry_enterManually')];
  }
  return ['importErr_noLinks'];
}
