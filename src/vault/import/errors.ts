/** Why a whole file could not be imported. Problems with single entries are not errors: they go to `problems`. */

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
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export const corrupt = (message: string): ImportError => new ImportError('corrupt', message);
export const unsupported = (message: string): ImportError => new ImportError('unsupported', message);
export const wrongPassword = (message: string): ImportError => new ImportError('wrong-password', message);
