import { render } from 'preact';
import '../ui/styles.css';
import './options.css';
import { App } from './App';

render(<App />, document.getElementById('app')!);
