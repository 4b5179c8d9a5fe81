import { render } from 'preact';
import '../ui/styles.css';
import './popup.css';
import { App } from './App';

render(<App />, document.getElementById('app')!);
