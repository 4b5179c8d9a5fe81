/** Taking codes out: an encrypted backup (Revoke's own format), and a plain otpauth:// list behind a warning. */
import { useState } from 'preact/hooks';
import type { OtpEntry } from '../vault/types';
import { errorText } from '../ui/client';
import { codes } from './ImportPreview';
import { datedName, downloadText } from './download';
import { t } from '../i18n/t';

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
    if (password.length < MIN_BACKUP_PASSWORD) return setStatus({ kind: 'error', text: t('backup_passwordTooShort', MIN_BACKUP_PASSWORD) });
    if (password !== confirm) return setStatus({ kind: 'error', text: t('password_differ') });
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
      setStatus({ kind: 'okay', text: t('backup_saved', name, codes(now.length)) });
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="stack" aria-labelledby="backup-h" onSubmit={save}>
      <h3 id="backup-h">{t('backup_heading')}</h3>
      <p class="muted">{entries.length ? t('backup_intro', codes(entries.length)) : t('backup_introEmpty')}</p>
      {entries.length === 0 && <p class="muted">{t('backup_none')}</p>}
      <p class="notice">{t('backup_noRecovery')}</p>
      <div class="row wrap">
        <label class="grow">
          {t('backup_password')}
          <input type="password" autoComplete="new-password" minLength={MIN_BACKUP_PASSWORD} value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label class="grow">
          {t('backup_confirm')}
          <input type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />
        </label>
      </div>
      <StatusLine status={status} />
      <div>
        <button class="primary" type="submit" disabled={busy || entries.length === 0 || !password || !confirm}>
          {t(busy ? 'backup_encrypting' : 'backup_download')}
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
      setStatus({ kind: 'okay', text: t('plain_saved', name, codes(now.length)) });
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e) });
    }
  }

  return (
    <div class="stack" role="group" aria-labelledby="plain-h">
      <h3 id="plain-h">{t('plain_heading')}</h3>
      <p class="muted">{t('plain_intro')}</p>
      <p class="notice">{t('plain_warning')}</p>
      <label class="inline">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.currentTarget.checked)} />
        {t('plain_understood')}
      </label>
      <StatusLine status={status} />
      <div>
        <button type="button" class="danger" disabled={!understood || entries.length === 0} onClick={save}>{t('plain_download')}</button>
      </div>
    </div>
  );
}
