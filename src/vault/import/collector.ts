/**
 * Where every importer puts what it read. Each entry goes through the same validation as a pasted
 * link or the manual form (validateEntryInput / parseOtpUri), so imported entries obey the same
 * rules; an entry that fails becomes a problem naming it, and the rest still import.
 */
import { parseOtpUri, validateEntryInput, type EntryFormValues } from '../otp-uri';
import type { EntryInput } from '../types';
import { said } from './errors';
import type { FormatName, ImportedEntry, ImportProblem, ImportResult } from './types';

const LABEL_CHARS = 80;

/** Text from a file made safe to show as a label: one line, no control or bidi characters, short. */
export function cleanLabel(raw: unknown): string {
  if (typeof raw !== 'string' && typeof raw !== 'number') return '';
  const text = String(raw).slice(0, 4 * LABEL_CHARS)
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ').trim();
  const chars = [...text];
  return chars.length > LABEL_CHARS ? `${chars.slice(0, LABEL_CHARS - 1).join('')}…` : text;
}

/** "GitHub (alice)", "GitHub", "alice", or the fallback ("Entry 3"), put into words only when needed. */
export function entryLabel(issuer: unknown, account: unknown, fallback: () => string): string {
  const i = cleanLabel(issuer);
  const a = cleanLabel(account);
  if (i && a) return `${i} (${a})`;
  return i || a || fallback();
}

export interface EntryMeta {
  sourceLabel: string;
  pinned?: boolean;
}

export class EntryCollector {
  readonly entries: ImportedEntry[] = [];
  readonly problems: ImportProblem[] = [];

  /** Validates raw field values (strings or numbers, as a form would send them). */
  add(values: EntryFormValues, meta: EntryMeta): boolean {
    const result = validateEntryInput(values);
    if (!result.ok) return this.reject(meta.sourceLabel, result.error);
    return this.accept(result.entry, meta);
  }

  /**
   * Reads an otpauth:// (or steam://) link; `fill` supplies fields the link leaves empty and
   * `override` replaces fields the source knows better (e.g. Proton's own account name).
   */
  addLink(link: unknown, meta: EntryMeta, adjust: { fill?: EntryFormValues; override?: EntryFormValues } = {}): boolean {
    if (typeof link !== 'string') return this.reject(meta.sourceLabel, said('importErr_linkMissing'));
    const parsed = parseOtpUri(link);
    if (!parsed.ok) return this.reject(meta.sourceLabel, parsed.error);
    if (!adjust.fill && !adjust.override) return this.accept(parsed.entry, meta);
    const merged: EntryFormValues = { ...parsed.entry };
    for (const [key, value] of Object.entries(adjust.fill ?? {})) {
      const name = key as keyof EntryInput;
      if (merged[name] === '' && value !== undefined && value !== null) merged[name] = value;
    }
    for (const [key, value] of Object.entries(adjust.override ?? {})) {
      if (value !== undefined && value !== null) merged[key as keyof EntryInput] = value;
    }
    return this.add(merged, meta);
  }

  reject(label: string, reason: string): false {
    this.problems.push({ label, reason });
    return false;
  }

  private accept(input: EntryInput, meta: EntryMeta): true {
    const entry: ImportedEntry = { input, sourceLabel: meta.sourceLabel };
    if (meta.pinned !== undefined) entry.pinned = meta.pinned;
    this.entries.push(entry);
    return true;
  }

  result(name: FormatName, encrypted = false): ImportResult {
    return { format: { name, encrypted }, entries: this.entries, problems: this.problems };
  }
}
