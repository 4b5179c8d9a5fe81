import type { ImportOptions, ImportResult } from './types';

/** One JSON export format: how to recognise a parsed document, and how to read it. */
export interface JsonFormat {
  /** Human name, as shown to the user ("Aegis"); readers may add " (encrypted)". */
  name: string;
  matches(doc: unknown): boolean;
  read(doc: unknown, opts: ImportOptions): ImportResult | Promise<ImportResult>;
}

/** The result for an encrypted file read without a password: ask for one, import nothing yet. */
export const needsPassword = (format: string): ImportResult => ({ format, entries: [], problems: [], needsPassword: true });
