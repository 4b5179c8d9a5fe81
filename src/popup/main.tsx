import { render } from 'preact';
import '../ui/styles.css';
import './popup.css';
import { call } from '../ui/client';
import { App, SessionsView, TAB_KEY } from './App';
import { prefetchOverview } from './prefetch';

performance.mark('revoke:script-start');
// Ask for the vault at once: an effect would wait for the first (empty) paint.
const firstSnapshot = call('vault/snapshot', null);
// Opening on the Sessions tab: fetch its code alongside, not after the first render.
if (localStorage.getItem(TAB_KEY) === 'sessions') {
  prefetchOverview();
  void SessionsView.preload();
}
render(<App firstSnapshot={firstSnapshot} />, document.getElementById('app')!);
