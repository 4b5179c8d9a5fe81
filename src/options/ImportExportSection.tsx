/**
 * Import from other authenticators, encrypted backup, plain export, and moving one code to a phone.
 * The cards load when the section is first opened, so the rest of the options page does not carry
 * them; the readers, the QR decoder and the QR writer load later still, on first use.
 */
import type { Snapshot } from '../lib/messages';
import { lazyComponent } from '../ui/lazy';
import { t } from '../i18n/t';

const Cards = lazyComponent(() => import('./ImportExportCards').then((m) => m.ImportExportCards));

export function ImportExportSection({ snapshot, onSnapshot }: { snapshot: Snapshot; onSnapshot: (s: Snapshot) => void }) {
  return (
    <section class="stack import-export" aria-labelledby="import-h">
      <h2 id="import-h">{t('section_import')}</h2>
      <Cards snapshot={snapshot} onSnapshot={onSnapshot} fallback={<p class="muted" aria-busy="true">{t('loading')}</p>} />
    </section>
  );
}
