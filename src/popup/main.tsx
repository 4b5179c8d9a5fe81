import { render } from 'preact';
import '../ui/styles.css';
import './popup.css';
import { App, SessionsView, snapshotNeeded } from './App';
import { prefetchOverview, prefetchSnapshot } from './prefetch';
import { startTab } from './start-tab';

performance.mark('revoke:script-start');
// Read the vault at once (an effect would wait for the first, empty, paint), unless the popup
// opens on Sessions with a vault known to exist: then nothing shown needs it yet.
if (snapshotNeeded(startTab())) prefetchSnapshot();
// Opening on the Sessions tab: fetch its code alongside, not after the first render.
if (startTab() === 'sessions') {
  prefetchOverview();
  void SessionsView.preload();
}
render(<App />, document.getElementById('app')!);
