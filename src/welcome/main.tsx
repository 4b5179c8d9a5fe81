import { render } from 'preact';
import '../ui/styles.css';
import '../options/options.css';
import './welcome.css';
import { App } from './App';
import { localisePage } from '../ui/page-language';

localisePage('page_welcome');
render(<App />, document.getElementById('app')!);
