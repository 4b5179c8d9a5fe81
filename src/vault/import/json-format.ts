import type { FormatName, ImportOptions, ImportResult } from './types';

/** One JSON export format: how to recognise a parsed document, and how to read it. */
export interface JsonFormat {
  /** The format's name, plain; a reader says per file whether it was encrypted (ImportResult.format). */
  name: FormatName;
  matches(doc: unknown): boolean;
  read(doc: unknown, opts: ImportOptions): ImportResult | Promise<ImportResult>;
}

/** The result for an encrypted file read without a password: ask for one, import nothing yet. */
export const needsPassword = (name: FormatName): ImportResult => ({ format: { name, encrypted: true }, entries: [], problems: [], needsPassword: true });
