import { render } from 'preact';
import '../ui/styles.css';
import './options.css';
import { App } from './App';
import { localisePage } from '../ui/page-language';

localisePage('page_options');
render(<App />, document.getElementById('app')!);
