/**
 * The popup's entry: it starts reading what the first screen shows, then renders the views. The
 * build puts this module, the views and what they import into two chunks loaded together
 * (scripts/startup-chunks.ts), so the views are imported dynamically only to run after the reads
 * have started, not to be fetched later.
 */
import { prefetchOverview, prefetchSnapshot } from './prefetch';
import { snapshotNeeded, startTab } from './start-tab';

performance.mark('revoke:script-start');
const tab = startTab();
// Read the vault at once, unless the popup opens on Sessions with a vault known to exist: then
// nothing shown needs it yet.
if (snapshotNeeded(tab)) prefetchSnapshot();
// Opening on Sessions: that tab's code is fetched alongside the views, not after them (view.tsx
// asks for the same module; the browser loads it once).
if (tab === 'sessions') {
  prefetchOverview();
  void import('./SessionsView');
}
void import('./view').then((m) => m.showPopup(tab));
