/** Turning what the user picked, dropped or pasted into text, refusing oversized input before any work. */
import { ImportError } from './errors';
import { decodeUtf8 } from './encoding';
import { IMPORT_LIMITS, MAX_IMPORT_MEGABYTES } from './limits';

const tooLarge = (size: string): ImportError =>
  new ImportError('too-large', `This file is too large to be an authenticator export (${size}; the limit is ${MAX_IMPORT_MEGABYTES} MB).`);

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/** Text of the input; UTF-8 (with or without BOM) or UTF-16 with a BOM. Binary files get a message saying what they seem to be. */
export function decodeInput(input: string | Uint8Array): string {
  if (typeof input === 'string') {
    if (input.length > IMPORT_LIMITS.maxBytes) throw tooLarge(`${(input.length / 1e6).toFixed(1)} million characters`);
    return input.replace(/^\ufeff/, '');
  }
  if (!(input instanceof Uint8Array)) throw new ImportError('unknown-format', 'Nothing to import: expected text or file contents.');
  if (input.length > IMPORT_LIMITS.maxBytes) throw tooLarge(megabytes(input.length));
  if (input[0] === 0xff && input[1] === 0xfe) return new TextDecoder('utf-16le').decode(input.subarray(2));
  if (input[0] === 0xfe && input[1] === 0xff) return new TextDecoder('utf-16be').decode(input.subarray(2));
  const text = decodeUtf8(input);
  if (text === null) throw new ImportError('unknown-format', describeBinary(input));
  return text.replace(/^\ufeff/, '');
}

const startsWith = (bytes: Uint8Array, magic: number[]): boolean => magic.every((b, i) => bytes[i] === b);

function describeBinary(bytes: Uint8Array): string {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff]) || startsWith(bytes, [0x47, 0x49, 0x46])) {
    return 'This is an image, not an export file. If it shows a QR code, scan it instead.';
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'This is a ZIP archive: extract the export file from it, then import that.';
  if (startsWith(bytes, [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65])) {
    return 'This is an app database (SQLite), not an export file. Export your accounts from the app instead.';
  }
  return 'This file is not text, so it is not an export format Revoke reads (encrypted andOTP backups, for example, are not supported).';
}
