/**
 * Text with one link per line: plain otpauth:// lists (Aegis, WinAuth, many others), Ente Auth's
 * plain export (otpauth:// with a codeDisplay JSON parameter), Bitwarden-style steam:// links, and
 * Google Authenticator otpauth-migration:// links, several of which make up one multi-QR export.
 * Blank lines and comment lines (#, //) are skipped.
 */
import { EntryCollector, type EntryMeta } from './collector';
import { ImportError, said } from './errors';
import { field } from './json';
import { GOOGLE_FORMAT, MigrationBatches, isMigrationLink, readMigrationLink } from './google-migration';
import type { ImportResult } from './types';

const LINK = /^(otpauth|otpauth-migration|steam):/i;
const COMMENT = /^(#|\/\/)/;

export const ENTE_FORMAT = 'words_formatEnte';
export const LINK_LIST_FORMAT = 'words_formatLinks';

function contentLines(text: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line && !COMMENT.test(line)) out.push({ line, number: i + 1 });
  });
  return out;
}

/** True when the text has at least one link line (other lines become problems when read). */
export function looksLikeLinkList(text: string): boolean {
  return contentLines(text).some(({ line }) => LINK.test(line));
}

export function importLinkList(text: string): ImportResult {
  const collector = new EntryCollector();
  const batches = new MigrationBatches();
  const lines = contentLines(text);
  let links = 0;
  let ente = false;
  for (const { line, number } of lines) {
    const label = said('importErr_labelLine', number);
    if (isMigrationLink(line)) {
      try {
        batches.add(readMigrationLink(line));
      } catch (e) {
        // One damaged link is the whole file's problem; among several, it is that line's.
        if (lines.length === 1 || !(e instanceof ImportError)) throw e;
        collector.reject(label, e.message);
      }
    } else if (LINK.test(line)) {
      links++;
      const display = enteCodeDisplay(line);
      if (display) ente = true;
      addLink(collector, line, { sourceLabel: label, pinned: display?.pinned }, display);
    } else {
      collector.reject(label, said('importErr_notLink'));
    }
  }
  batches.finish(collector);
  const format = batches.count > 0 && links === 0 ? GOOGLE_FORMAT : ente ? ENTE_FORMAT : LINK_LIST_FORMAT;
  return collector.result(format);
}

interface EnteDisplay {
  pinned?: boolean;
  trashed: boolean;
  note?: string;
}

function addLink(collector: EntryCollector, line: string, meta: EntryMeta, display: EnteDisplay | null): void {
  if (display?.trashed) {
    collector.reject(meta.sourceLabel, said('importErr_enteTrash'));
    return;
  }
  collector.addLink(line, meta, display?.note ? { override: { note: display.note } } : {});
}

/** Ente's per-entry display state (pinned, trashed, note), carried as JSON in a codeDisplay parameter. */
function enteCodeDisplay(link: string): EnteDisplay | null {
  const match = /[?&]codeDisplay=([^&#]*)/i.exec(link);
  if (!match) return null;
  let value: unknown;
  try {
    value = JSON.parse(decodeURIComponent(match[1]!.replace(/\+/g, ' ')));
  } catch {
    return { trashed: false }; // an unreadable display block only loses the pin and note
  }
  const pinned = field(value, 'pinned');
  const note = field(value, 'note');
  return {
    pinned: typeof pinned === 'boolean' ? pinned : undefined,
    trashed: field(value, 'trashed') === true,
    note: typeof note === 'string' ? note : undefined,
  };
}
