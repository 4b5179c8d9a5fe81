/**
 * The popup's entry: it starts reading what the first screen shows, then loads the views. The read
 * waits on IndexedDB and storage.session, the views on their scripts being fetched and compiled:
 * started together, the slower of the two sets the first paint, not their sum. So this module's
 * imports are only what the reads need; the views come by dynamic import (view.tsx).
 */
import '../ui/styles.css';
import './popup.css';
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
