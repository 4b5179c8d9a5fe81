import { render } from 'preact';
import '../ui/styles.css';
import '../options/options.css';
import './welcome.css';
import { App } from './App';

render(<App />, document.getElementById('app')!);
