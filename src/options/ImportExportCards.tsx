/** The cards of "Import & backup"; loaded when the section is first opened (see ImportExportSection). */
import type { Snapshot } from '../lib/messages';
import { AppError } from '../lib/messages';
import type { OtpEntry } from '../vault/types';
import { call } from '../ui/client';
import { BackupPanel, PlainExportPanel } from './BackupPanel';
import { ImportPanel } from './ImportPanel';
import { QrTransfer } from './QrTransfer';

export function ImportExportCards({ snapshot, onSnapshot }: { snapshot: Snapshot; onSnapshot: (s: Snapshot) => void }) {
  const entries = snapshot.entries ?? [];
  /**
   * The vault as it is now, not as this page last saw it: the popup may have advanced a counter or
   * added a code since, and a backup or a duplicate check must not miss that.
   */
  async function current(): Promise<OtpEntry[]> {
    const fresh = await call('vault/snapshot', null);
    onSnapshot(fresh);
    if (fresh.state !== 'unlocked' || !fresh.entries) throw new AppError('locked', 'Locked.', { key: 'importCards_locked' });
    return fresh.entries;
  }
  return (
    <>
      <div class="card"><ImportPanel existing={entries} current={current} onSnapshot={onSnapshot} /></div>
      <div class="card"><BackupPanel entries={entries} current={current} /></div>
      <div class="card"><PlainExportPanel entries={entries} current={current} /></div>
      <div class="card"><QrTransfer entries={entries} /></div>
    </>
  );
}
