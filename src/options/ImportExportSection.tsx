/** Import from other authenticators, encrypted backup, plain export. */
import type { Snapshot } from '../lib/messages';

export function ImportExportSection(_props: { snapshot: Snapshot; onSnapshot: (s: Snapshot) => void }) {
  return <section aria-labelledby="import-h"><h2 id="import-h">Import &amp; backup</h2></section>;
}
