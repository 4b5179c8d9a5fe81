/**
 * Import from other authenticators: a file (picked or dropped), pasted text, or QR code images
 * (picked, dropped or pasted). The readers (scrypt and all) and the QR decoder load on first use.
 * Nothing is stored until the person presses Import in the preview.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Snapshot } from '../lib/messages';
import type { Duplicate, ImportFormat, ImportResult } from '../vault/import';
import { formatName } from '../vault/import/format-name';
import type { OtpEntry } from '../vault/types';
import { IMPORT_LIMITS, MAX_IMPORT_MEGABYTES } from '../vault/import/limits';
import { call, errorText } from '../ui/client';
import { ImportPreview, codes } from './ImportPreview';
import { formatNumber, t, tp } from '../i18n/t';

/** What is being imported: file contents, pasted text, or the links of every QR code scanned so far. */
interface Source {
  what: string;
  data: string | Uint8Array;
}

type Stage =
  | { kind: 'start' }
  | { kind: 'password'; source: Source; format: ImportFormat; error: string }
  | { kind: 'preview'; source: Source; result: ImportResult; duplicates: (Duplicate | null)[]; selected: boolean[] };

const importingText = () => t('preview_importing');
const LINK = /^(otpauth|otpauth-migration|steam):/i;

/** Raster images by content (file types lie, and pasted images may have none); SVG is left to the text readers. */
function isImage(file: File, head: Uint8Array): boolean {
  const starts = (...magic: number[]) => magic.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff) || starts(0x47, 0x49, 0x46, 0x38)) return true;
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...head.subarray(8, 12)) === 'WEBP') return true;
  return file.type.startsWith('image/') && file.type !== 'image/svg+xml';
}

/** "This Aegis export is encrypted"; Revoke's own file is a backup, not an export. */
const encryptedHeading = (format: ImportFormat) =>
  t(format.name === 'words_formatRevokeBackup' ? 'import_encryptedBackup' : 'import_encrypted', t(format.name));

export function ImportPanel({ existing, current, onSnapshot }: {
  /** The vault's entries as last seen, for naming duplicates. */
  existing: readonly OtpEntry[];
  /** The vault's entries now (re-read before duplicates are marked). */
  current: () => Promise<OtpEntry[]>;
  onSnapshot: (s: Snapshot) => void;
}) {
  const [stage, setStage] = useState<Stage>({ kind: 'start' });
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  /** Bumped after an import so the paste box forgets the secrets it held. */
  const [generation, setGeneration] = useState(0);
  /** Links from every QR image added since the last import: Google splits big exports over several codes. */
  const qrLinks = useRef<string[]>([]);
  /** Only the newest read may change the screen (a slow decrypt must not overwrite a newer file). */
  const seq = useRef(0);
  const importing = busy === importingText();

  function fail(message: string) {
    seq.current++; // whatever was still being read is stale now
    setStage({ kind: 'start' });
    setBusy('');
    setError(message);
  }

  async function read(source: Source, password?: string, format?: ImportFormat) {
    const mine = ++seq.current;
    setError('');
    setDone('');
    setBusy(password === undefined ? t('import_reading', source.what) : t('import_decrypting'));
    try {
      const { importText, markDuplicates } = await import('../vault/import');
      const result = await importText(source.data, password === undefined ? {} : { password });
      if (mine !== seq.current) return;
      if (result.needsPassword) {
        setStage({ kind: 'password', source, format: result.format, error: '' });
      } else {
        const duplicates = markDuplicates(result.entries, await current());
        if (mine !== seq.current) return;
        setStage({ kind: 'preview', source, result, duplicates, selected: duplicates.map((d) => d === null) });
      }
      setBusy('');
    } catch (e) {
      if (mine !== seq.current) return;
      // A wrong password keeps the prompt (and what was typed) for another try.
      if (password !== undefined && format && (e as { code?: string } | null)?.code === 'wrong-password') {
        setBusy('');
        setStage({ kind: 'password', source, format, error: errorText(e) });
        return;
      }
      fail(errorText(e));
    }
  }

  async function addImages(images: Blob[]) {
    const mine = ++seq.current;
    setError('');
    setDone('');
    setBusy(t('import_lookingForQr'));
    try {
      const { scanImage } = await import('../qr/scan');
      const found = (await Promise.all(images.map((img) => scanImage(img)))).flat();
      if (mine !== seq.current) return;
      if (found.length === 0) return fail(t('import_noQr'));
      const links = found.filter((t) => LINK.test(t.trim())).map((t) => t.trim());
      if (links.length === 0) return fail(t('import_qrNotOtp'));
      qrLinks.current = [...qrLinks.current, ...links.filter((l) => !qrLinks.current.includes(l))];
      const n = qrLinks.current.length;
      await read({ what: tp('import_scannedQr', n), data: qrLinks.current.join('\n') });
    } catch (e) {
      if (mine === seq.current) fail(errorText(e));
    }
  }

  async function addFiles(list: FileList | File[] | null | undefined) {
    const files = [...(list ?? [])];
    if (files.length === 0) return;
    const big = files.find((f) => f.size > IMPORT_LIMITS.maxBytes);
    if (big) {
      return fail(t('import_tooLarge', big.name || t('import_thisFile'), formatNumber(big.size / 2 ** 20, 1), MAX_IMPORT_MEGABYTES));
    }
    let contents: { file: File; bytes: Uint8Array }[];
    try {
      contents = await Promise.all(files.map(async (file) => ({ file, bytes: new Uint8Array(await file.arrayBuffer()) })));
    } catch (e) {
      return fail(t('import_unreadable', errorText(e)));
    }
    const images = contents.filter((c) => isImage(c.file, c.bytes));
    const others = contents.filter((c) => !images.includes(c));
    if (others.length > 1 || (others.length === 1 && images.length > 0)) {
      return fail(t('import_oneFile'));
    }
    if (others[0]) {
      qrLinks.current = [];
      return read({ what: others[0].file.name || t('import_theFile'), data: others[0].bytes });
    }
    return addImages(images.map((c) => c.file));
  }

  function readText(text: string) {
    qrLinks.current = [];
    void read({ what: t('import_thePastedText'), data: text });
  }

  function reset() {
    seq.current++;
    qrLinks.current = [];
    setStage({ kind: 'start' });
    setBusy('');
    setError('');
  }

  async function commit(result: ImportResult, selected: boolean[]) {
    const items = result.entries.filter((_, i) => selected[i]).map((e) => (e.pinned ? { input: e.input, pinned: true } : { input: e.input }));
    const mine = ++seq.current;
    setBusy(importingText());
    setError('');
    let added: number;
    try {
      // One message, one transaction in the background: all of them or none.
      ({ added } = await call('entries/import', { items }));
    } catch (e) {
      if (mine === seq.current) setBusy('');
      setError(errorText(e));
      return;
    }
    // An image pasted meanwhile has started a new read: leave that on screen.
    if (mine === seq.current) {
      qrLinks.current = [];
      setStage({ kind: 'start' });
      setBusy('');
    }
    setDone(t('import_imported', codes(added)));
    setGeneration((g) => g + 1);
    await call('vault/snapshot', null).then(onSnapshot, () => undefined);
  }

  // An image pasted anywhere on the page is scanned (a screenshot of a QR code); text pastes go to the text box.
  const addImagesRef = useRef(addImages);
  addImagesRef.current = addImages;
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const images = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
      if (images.length === 0) return;
      e.preventDefault();
      void addImagesRef.current(images);
    };
    // A file dropped beside the drop zone would otherwise make the browser leave the page to show it.
    const stray = (e: DragEvent) => {
      if ((e.target as Element | null)?.closest?.('.dropzone')) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
    };
    document.addEventListener('paste', onPaste);
    document.addEventListener('dragover', stray);
    document.addEventListener('drop', stray);
    return () => {
      document.removeEventListener('paste', onPaste);
      document.removeEventListener('dragover', stray);
      document.removeEventListener('drop', stray);
    };
  }, []);

  return (
    <section class="stack" aria-labelledby="import-from-h">
      <h3 id="import-from-h">{t('import_heading')}</h3>
      <p class="muted">{t('import_intro')}</p>
      <ImportSources key={generation} disabled={importing} onFiles={addFiles} onText={readText} />
      {busy && <p class="muted" role="status" aria-busy="true">{busy}</p>}
      {error && (
        <div role="alert" class="stack">
          <p class="error">{error}</p>
          <p class="muted">{t('import_unchanged')}</p>
        </div>
      )}
      {done && <p class="okay" role="status">{done}</p>}
      {stage.kind === 'password' && (
        <PasswordPrompt key={stage.source.what} heading={encryptedHeading(stage.format)} error={stage.error} busy={!!busy}
          onSubmit={(password) => read(stage.source, password, stage.format)} onCancel={reset} />
      )}
      {stage.kind === 'preview' && (
        <>
          {qrLinks.current.length > 0 && (
            <p class="muted">
              {tp('import_qrScanned', qrLinks.current.length)} {t('import_qrMore')}
            </p>
          )}
          <ImportPreview result={stage.result} duplicates={stage.duplicates} existing={existing} selected={stage.selected}
            busy={importing} from={stage.source.what}
            onSelect={(selected) => setStage({ ...stage, selected })}
            onImport={() => commit(stage.result, stage.selected)} onCancel={reset} />
        </>
      )}
    </section>
  );
}

/** The drop zone (also a button that opens the file picker) and the paste box. */
function ImportSources({ disabled, onFiles, onText }: {
  disabled: boolean;
  onFiles: (files: FileList | File[] | null | undefined) => void;
  onText: (text: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [text, setText] = useState('');
  return (
    <div class="stack">
      <button type="button" class={`dropzone${over ? ' over' : ''}`} disabled={disabled}
        onClick={() => input.current?.click()}
        onDragEnter={(e) => { e.preventDefault(); setOver(true); }}
        onDragOver={(e) => { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const dt = e.dataTransfer;
          if (dt?.files.length) onFiles(dt.files);
          else if (dt?.getData('text/plain')) onText(dt.getData('text/plain'));
        }}>
        <strong>{t('import_choose')}</strong>
        <span class="muted">{t('import_drop')}</span>
      </button>
      <input ref={input} type="file" multiple hidden aria-label={t('import_file_label')}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          // Cleared so that choosing the same file again (say, after a wrong password) is a change too.
          e.currentTarget.value = '';
          onFiles(files);
        }} />
      <form class="stack" aria-label={t('import_paste_label')} onSubmit={(e) => { e.preventDefault(); onText(text); }}>
        <label>
          {t('import_paste')}
          <textarea rows={3} spellcheck={false} autoComplete="off" value={text} onInput={(e) => setText(e.currentTarget.value)}
            placeholder="otpauth://totp/Example:alice@example.com?secret=…" />
        </label>
        <p class="muted hint">{t('import_pasteImage')}</p>
        <div><button type="submit" disabled={disabled || !text.trim()}>{t('import_readPasted')}</button></div>
      </form>
    </div>
  );
}

function PasswordPrompt({ heading, error, busy, onSubmit, onCancel }: {
  heading: string;
  error: string;
  busy: boolean;
  onSubmit: (password: string) => void;
  onCancel: () => void;
}) {
  const [password, setPassword] = useState('');
  const field = useRef<HTMLInputElement>(null);
  // After a wrong password the field stays, its text selected for retyping.
  useEffect(() => {
    field.current?.focus();
    if (error) field.current?.select();
  }, [error]);
  return (
    <form class="card stack" aria-label={t('import_unlock_label')} onSubmit={(e) => { e.preventDefault(); if (password) onSubmit(password); }}>
      <p><strong>{heading}.</strong> {t('import_enterPassword')}</p>
      <label>
        {t('import_filePassword')}
        <input ref={field} type="password" autoComplete="off" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="row">
        <button class="primary" type="submit" disabled={busy || !password}>{t('import_unlockFile')}</button>
        <button type="button" onClick={onCancel}>{t('action_cancel')}</button>
      </div>
    </form>
  );
}
