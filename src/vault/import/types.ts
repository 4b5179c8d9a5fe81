import type { MessageKey } from '../../i18n/t';
import type { EntryInput } from '../types';

/** The message key of an export format's name (`words_formatAegis`: "Aegis"). */
export type FormatName = Extract<MessageKey, `words_format${string}`>;

/** An export format as data: its name, and whether this file of it is encrypted. Pages say it with formatName. */
export interface ImportFormat {
  name: FormatName;
  encrypted: boolean;
}

/** One entry read from another app's export, validated and normalised like a pasted link. */
export interface ImportedEntry {
  input: EntryInput;
  /** Set when the source has the notion (Aegis favourites, Ente and Authenticator pins, Revoke backups). */
  pinned?: boolean;
  /** How the source file names this entry (item name, "issuer (account)" or "line 3"), to find it there. */
  sourceLabel: string;
}

/** An entry (or part of the file) that was left out, and why, in words a person can act on. */
export interface ImportProblem {
  label: string;
  reason: string;
}

export interface ImportResult {
  /** The detected format, e.g. Aegis, encrypted. */
  format: ImportFormat;
  entries: ImportedEntry[];
  problems: ImportProblem[];
  /** The file is encrypted and no password was given: ask for one and call again. */
  needsPassword?: boolean;
}

export interface ImportOptions {
  password?: string;
}
