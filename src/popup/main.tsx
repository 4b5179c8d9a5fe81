import { render } from 'preact';
import '../ui/styles.css';
import './popup.css';
import { call } from '../ui/client';
import { App } from './App';

performance.mark('revoke:script-start');
// Ask for the vault at once: an effect would wait for the first (empty) paint.
const firstSnapshot = call('vault/snapshot', null);
render(<App firstSnapshot={firstSnapshot} />, document.getElementById('app')!);
