/** Taking codes out: an encrypted backup (Revoke's own format), and a plain otpauth:// list behind a warning. */
import { useState } from 'preact/hooks';
import type { OtpEntry } from '../vault/types';
import { errorText } from '../ui/client';
import { codes } from './ImportPreview';
import { datedName, downloadText } from './download';

const MIN_BACKUP_PASSWORD = 8;

type Status = { kind: 'okay' | 'error'; text: string } | null;

function StatusLine({ status }: { status: Status }) {
  if (!status) return null;
  return <p class={status.kind} role={status.kind === 'error' ? 'alert' : 'status'}>{status.text}</p>;
}

interface PanelProps {
  /** For the counts shown; what is saved comes from `current()`. */
  entries: readonly OtpEntry[];
  current: () => Promise<OtpEntry[]>;
}

export function BackupPanel({ entries, current }: PanelProps) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);

  async function save(ev: Event) {
    ev.preventDefault();
    if (password.length < MIN_BACKUP_PASSWORD) return setStatus({ kind: 'error', text: `The backup password needs at least ${MIN_BACKUP_PASSWORD} characters.` });
    if (password !== confirm) return setStatus({ kind: 'error', text: 'The two passwords differ.' });
    setBusy(true);
    setStatus(null);
    try {
      // Loaded on demand: the backup writer is not needed to show the page.
      const { createBackup } = await import('../vault/backup');
      const now = await current();
      const name = datedName('revoke-backup', 'json');
      downloadText(name, await createBackup(now, password), 'application/json');
      setPassword('');
      setConfirm('');
      setStatus({ kind: 'okay', text: `Saved ${name} with ${codes(now.length)}.` });
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="stack" aria-labelledby="backup-h" onSubmit={save}>
      <h3 id="backup-h">Encrypted backup</h3>
      <p class="muted">
        One file with {entries.length ? `all ${codes(entries.length)}` : 'all your codes'}: secrets, names, types,
        counters, notes, sites and pins, encrypted with the password you choose here (it may differ from your vault
        password). Restore it with Import above, here or in another browser.
      </p>
      {entries.length === 0 && <p class="muted">No codes to back up yet.</p>}
      <p class="notice">This password cannot be recovered. Without it, nobody (you included) can open the backup.</p>
      <div class="row wrap">
        <label class="grow">
          Backup password
          <input type="password" autoComplete="new-password" minLength={MIN_BACKUP_PASSWORD} value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label class="grow">
          Confirm backup password
          <input type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />
        </label>
      </div>
      <StatusLine status={status} />
      <div>
        <button class="primary" type="submit" disabled={busy || entries.length === 0 || !password || !confirm}>
          {busy ? 'Encrypting…' : 'Download backup'}
        </button>
      </div>
    </form>
  );
}

export function PlainExportPanel({ entries, current }: PanelProps) {
  const [understood, setUnderstood] = useState(false);
  const [status, setStatus] = useState<Status>(null);

  async function save() {
    try {
      const { exportOtpauthList } = await import('../vault/backup');
      const now = await current();
      const name = datedName('revoke-otpauth', 'txt');
      downloadText(name, exportOtpauthList(now), 'text/plain');
      setUnderstood(false);
      setStatus({ kind: 'okay', text: `Saved ${name} with ${codes(now.length)}. Delete it once you have imported it elsewhere.` });
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e) });
    }
  }

  return (
    <div class="stack" role="group" aria-labelledby="plain-h">
      <h3 id="plain-h">Plain export (not encrypted)</h3>
      <p class="muted">
        A text file with one otpauth:// link per code, which almost any authenticator app imports. Notes, sites and
        pins are not part of it.
      </p>
      <p class="notice">
        The file holds your secrets in the clear: anyone who sees it can make your codes. Do not email it, sync it or
        leave it in Downloads.
      </p>
      <label class="inline">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.currentTarget.checked)} />
        I understand anyone who sees this file can take over my second factors
      </label>
      <StatusLine status={status} />
      <div>
        <button type="button" class="danger" disabled={!understood || entries.length === 0} onClick={save}>Download plain export</button>
      </div>
    </div>
  );
}
