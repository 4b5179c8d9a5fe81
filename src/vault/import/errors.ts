/** Why a whole file could not be imported. Problems with single entries are not errors: they go to `problems`. */
import { say, type MessageKey, type Said, type Sub } from '../../i18n/t';

export type ImportErrorCode =
  /** The password given does not open the file. */
  | 'wrong-password'
  /** Not a format Revoke reads; the message says what the input looked like. */
  | 'unknown-format'
  /** A known format, but truncated, altered or otherwise damaged. */
  | 'corrupt'
  /** Over the size cap (IMPORT_LIMITS.maxBytes); refused before any parsing. */
  | 'too-large'
  /** A known format (or version of one) that Revoke cannot read; the message says what to do instead. */
  | 'unsupported';

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    /** What to tell the person, as a message key: a backup restored by the background reaches the page as this. */
    readonly said?: Said,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

/**
 * An ImportError whose message is already in the browser's language (imports run in the options
 * page, which shows the message as it is) and which carries its key for whoever says it elsewhere.
 */
export const importError = (code: ImportErrorCode, key: MessageKey, ...subs: Sub[]): ImportError =>
  new ImportError(code, say({ key, subs }), { key, subs });

export const corrupt = (key: MessageKey, ...subs: Sub[]): ImportError => importError('corrupt', key, ...subs);
export const unsupported = (key: MessageKey, ...subs: Sub[]): ImportError => importError('unsupported', key, ...subs);
export const wrongPassword = (key: MessageKey, ...subs: Sub[]): ImportError => importError('wrong-password', key, ...subs);

/** A reason or label for the import preview, in the browser's language (ImportProblem holds text). */
export const said = (key: MessageKey, ...subs: Sub[]): string => say({ key, subs });
