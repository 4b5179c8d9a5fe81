/**
 * Bitwarden vault exports, JSON ({ items: [{ name, login: { username, uris, totp } }] }) and CSV
 * (columns name, login_uri, login_username, login_totp). The TOTP field holds an otpauth:// link, a
 * bare base32 secret, or steam://SECRET. Items without one are passwords only, and are skipped.
 * The first web address of an item becomes the entry's site, so its code is offered on that site.
 */
import { normalizeSite } from '../otp-uri';
import { EntryCollector, cleanLabel, type EntryMeta } from './collector';
import { csvHeader, parseCsv } from './csv';
import { corrupt, said, unsupported } from './errors';
import { field, hasField, isRecord, textField } from './json';
import type { JsonFormat } from './json-format';
import type { FormatName, ImportResult } from './types';

export const BITWARDEN_JSON = 'words_formatBitwardenJson';
export const BITWARDEN_CSV = 'words_formatBitwardenCsv';

interface BitwardenItem {
  name: string;
  username: string;
  uri: string;
  totp: unknown;
}

export const bitwardenJson: JsonFormat = {
  name: BITWARDEN_JSON,
  matches: (doc) => isRecord(doc) && hasField(doc, 'encrypted') && (hasField(doc, 'items') || hasField(doc, 'data')),
  read(doc) {
    if (field(doc, 'encrypted') === true) {
      throw unsupported(field(doc, 'passwordProtected') === true
        ? 'importErr_bitwardenPassword'
        : 'importErr_bitwardenAccount');
    }
    const items = field(doc, 'items');
    if (!Array.isArray(items)) throw corrupt('importErr_bitwardenNoItems');
    return readItems(items.map((item: unknown) => {
      const login = field(item, 'login');
      const uris = field(login, 'uris');
      return {
        name: textField(item, 'name') ?? '',
        username: textField(login, 'username') ?? '',
        uri: Array.isArray(uris) ? (textField(uris.find((u) => textField(u, 'uri')), 'uri') ?? '') : '',
        totp: field(login, 'totp'),
      };
    }), BITWARDEN_JSON);
  },
};

export const isBitwardenCsv = (text: string): boolean => csvHeader(text).includes('login_totp');

export function importBitwardenCsv(text: string): ImportResult {
  const [header, ...rows] = parseCsv(text);
  const column = (name: string): number => header!.findIndex((h) => h.trim().toLowerCase() === name);
  const [name, uri, username, totp] = ['name', 'login_uri', 'login_username', 'login_totp'].map(column) as [number, number, number, number];
  return readItems(rows.map((row) => ({
    name: row[name] ?? '',
    username: row[username] ?? '',
    // Several addresses are written comma-separated in one quoted field.
    uri: (row[uri] ?? '').split(',')[0] ?? '',
    totp: row[totp],
  })), BITWARDEN_CSV);
}

function readItems(items: BitwardenItem[], format: FormatName): ImportResult {
  const collector = new EntryCollector();
  items.forEach((item, i) => {
    if (item.totp === undefined || item.totp === null || item.totp === '') return;
    const meta: EntryMeta = { sourceLabel: cleanLabel(item.name) || said('importErr_labelItem', i + 1) };
    if (typeof item.totp !== 'string') {
      collector.reject(meta.sourceLabel, said('importErr_totpNotText'));
      return;
    }
    const totp = item.totp.trim();
    const site = siteOf(item.uri);
    if (/^otpauth:/i.test(totp)) {
      collector.addLink(totp, meta, { fill: { issuer: item.name, account: item.username, site } });
    } else if (/^steam:/i.test(totp)) {
      // steam:// carries only the secret; "Steam account" is the name Aegis gives such entries too.
      collector.addLink(totp, meta, { fill: { account: item.username || 'Steam account', site } });
    } else {
      collector.add({ secret: totp, issuer: item.name, account: item.username, site }, meta);
    }
  });
  return collector.result(format);
}

/** The site for an item's web address, or none (app links, garbage) rather than losing the entry. */
function siteOf(uri: string): string {
  if (!uri.trim()) return '';
  try {
    return normalizeSite(uri);
  } catch {
    return '';
  }
}
