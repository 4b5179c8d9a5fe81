/**
 * Reading untrusted JSON: nesting is bounded before parsing, and fields are read as own
 * properties only, so "__proto__", "constructor" or "toString" in a file are plain data.
 */
import { corrupt, importError, said, type ImportError } from './errors';
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
    throw importError('unknown-format', 'importErr_jsonDeep', IMPORT_LIMITS.maxJsonDepth);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw whereJsonBroke(e);
  }
}

/** Where JSON.parse gave up, without the snippet of the file its message may quote (it could be a secret). */
function whereJsonBroke(e: unknown): ImportError {
  const message = e instanceof Error ? e.message : '';
  if (/end of JSON input|Unterminated/i.test(message)) return corrupt('importErr_jsonEnds');
  const position = /position (\d+)/.exec(message)?.[1];
  return position ? corrupt('importErr_jsonNear', Number(position)) : corrupt('importErr_jsonBroken');
}

/** Parses JSON found inside another format (a decrypted payload); damage there is corruption of that format. */
export function parseInnerJson(text: string, what: string): unknown {
  if (jsonDepthExceeds(text, IMPORT_LIMITS.maxJsonDepth)) throw corrupt('importErr_innerDeep', what);
  try {
    return JSON.parse(text);
  } catch {
    throw corrupt('importErr_innerJson', what);
  }
}

/** A few of an object's keys, for messages that say what a file did contain. */
export function describeKeys(obj: JsonRecord): string {
  const keys = Object.keys(obj).slice(0, 6).map((k) => JSON.stringify(k.slice(0, 30)));
  if (keys.length === 0) return said('importErr_jsonNoKeys');
  return said('importErr_jsonKeys', `${keys.join(', ')}${Object.keys(obj).length > 6 ? ', …' : ''}`);
}
