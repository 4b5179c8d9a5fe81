import type { EntryInput } from '../types';

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
  /** Human name of the detected format, e.g. "Aegis (encrypted)". */
  format: string;
  entries: ImportedEntry[];
  problems: ImportProblem[];
  /** The file is encrypted and no password was given: ask for one and call again. */
  needsPassword?: boolean;
}

export interface ImportOptions {
  password?: string;
}
