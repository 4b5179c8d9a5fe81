/**
 * Reading untrusted JSON: nesting is bounded before parsing, and fields are read as own
 * properties only, so "__proto__", "constructor" or "toString" in a file are plain data.
 */
import { ImportError, corrupt } from './errors';
import { IMPORT_LIMITS } from './limits';

export type JsonRecord = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An own property of an untrusted object; never one inherited from Object.prototype. */
export function field(obj: unknown, key: string): unknown {
  return isRecord(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export const hasField = (obj: unknown, key: string): boolean => isRecord(obj) && Object.hasOwn(obj, key);

/** A text field, or undefined when absent, null or not text. */
export function textField(obj: unknown, key: string): string | undefined {
  const value = field(obj, key);
  return typeof value === 'string' ? value : undefined;
}

/**
 * How deeply the JSON text nests arrays and objects, counted without parsing it (brackets inside
 * strings do not count). Stops counting as soon as `limit` is passed.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Parses a JSON document or throws an ImportError that says why. */
export function parseJsonDocument(text: string): unknown {
  if (jsonDepthExceeds(text, IMPORT_LIMITS.maxJsonDepth)) {
    throw new ImportError('unknown-format',
      `This JSON nests more than ${IMPORT_LIMITS.maxJsonDepth} levels deep; no authenticator export looks like that.`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw corrupt(`The file looks like JSON but is damaged or cut off${whereJsonBroke(e)}.`);
  }
}

/** Where JSON.parse gave up, without the snippet of the file its message may quote (it could be a secret). */
function whereJsonBroke(e: unknown): string {
  const message = e instanceof Error ? e.message : '';
  if (/end of JSON input|Unterminated/i.test(message)) return ' (it ends too early)';
  const position = /position (\d+)/.exec(message)?.[1];
  return position ? ` (near character ${Number(position).toLocaleString('en')})` : '';
}

/** Parses JSON found inside another format (a decrypted payload); damage there is corruption of that format. */
export function parseInnerJson(text: string, what: string): unknown {
  if (jsonDepthExceeds(text, IMPORT_LIMITS.maxJsonDepth)) throw corrupt(`${what} nests too deeply to be real.`);
  try {
    return JSON.parse(text);
  } catch {
    throw corrupt(`${what} is not valid JSON: the file is damaged.`);
  }
}

/** A few of an object's keys, for messages that say what a file did contain. */
export function describeKeys(obj: JsonRecord): string {
  const keys = Object.keys(obj).slice(0, 6).map((k) => JSON.stringify(k.slice(0, 30)));
  if (keys.length === 0) return 'an empty object';
  return `fields ${keys.join(', ')}${Object.keys(obj).length > 6 ? ', …' : ''}`;
}
