/** Turning what the user picked, dropped or pasted into text, refusing oversized input before any work. */
import { importError, type ImportError } from './errors';
import { decodeUtf8 } from './encoding';
import type { MessageKey } from '../../i18n/t';
import { IMPORT_LIMITS, MAX_IMPORT_MEGABYTES } from './limits';

/** One decimal is enough to see how far over the limit it is. */
const oneDecimal = (n: number): number => Math.round(n * 10) / 10;

/** Text of the input; UTF-8 (with or without BOM) or UTF-16 with a BOM. Binary files get a message saying what they seem to be. */
export function decodeInput(input: string | Uint8Array): string {
  if (typeof input === 'string') {
    if (input.length > IMPORT_LIMITS.maxBytes) throw importError('too-large', 'importErr_tooLargeChars', oneDecimal(input.length / 1e6), MAX_IMPORT_MEGABYTES);
    return input.replace(/^\ufeff/, '');
  }
  if (!(input instanceof Uint8Array)) throw importError('unknown-format', 'importErr_nothing');
  if (input.length > IMPORT_LIMITS.maxBytes) throw importError('too-large', 'importErr_tooLargeBytes', oneDecimal(input.length / (1024 * 1024)), MAX_IMPORT_MEGABYTES);
  if (input[0] === 0xff && input[1] === 0xfe) return new TextDecoder('utf-16le').decode(input.subarray(2));
  if (input[0] === 0xfe && input[1] === 0xff) return new TextDecoder('utf-16be').decode(input.subarray(2));
  const text = decodeUtf8(input);
  if (text === null) throw importError('unknown-format', describeBinary(input));
  return text.replace(/^\ufeff/, '');
}

const startsWith = (bytes: Uint8Array, magic: number[]): boolean => magic.every((b, i) => bytes[i] === b);

/** The message key for what a binary file seems to be. */
function describeBinary(bytes: Uint8Array): MessageKey {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff]) || startsWith(bytes, [0x47, 0x49, 0x46])) {
    return 'importErr_image';
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'importErr_zip';
  if (startsWith(bytes, [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65])) {
    return 'importErr_sqlite';
  }
  return 'importErr_binary';
}
