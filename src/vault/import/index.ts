/**
 * Importing codes from other authenticators (and Revoke's own backups). Give `importText` the
 * bytes of a picked or dropped file, or pasted text; it detects the format from the content.
 *
 *   const result = await importText(bytes, { password });
 *   if (result.needsPassword) → ask for the password, call again
 *   result.entries → show for review (markDuplicates against the vault), then add
 *   result.problems → entries left out, each with a reason
 *
 * Whole-file failures throw ImportError (code: wrong-password, unknown-format, corrupt, too-large,
 * unsupported) with a message meant for the user.
 */
import { detectFormat } from './detect';
import { importBitwardenCsv } from './bitwarden';
import { ImportError, importError } from './errors';
import { decodeInput } from './input';
import { importLinkList } from './link-list';
import type { ImportOptions, ImportResult } from './types';

export async function importText(input: string | Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
  try {
    const text = decodeInput(input);
    const detected = detectFormat(text);
    switch (detected.kind) {
      case 'json': return await detected.format.read(detected.doc, opts);
      case 'bitwarden-csv': return importBitwardenCsv(text);
      case 'links': return importLinkList(text);
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    // A reader bug or an input shape nobody anticipated: still a clear refusal, never a crash.
    throw e instanceof Error ? importError('corrupt', 'importErr_unreadableWhy', e.message.slice(0, 120)) : importError('corrupt', 'importErr_unreadable');
  }
}

export { ImportError, type ImportErrorCode } from './errors';
export type { ImportFormat, ImportedEntry, ImportOptions, ImportProblem, ImportResult } from './types';
export { IMPORT_LIMITS } from './limits';
export { markDuplicates, duplicateKeys, type Duplicate } from './duplicates';
