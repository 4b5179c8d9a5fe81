/** The popup's views, rendered once main.tsx has started the reads they show. */
import { render } from 'preact';
import { App, SessionsView } from './App';
import { localisePage } from '../ui/page-language';
import type { Tab } from './start-tab';

export function showPopup(tab: Tab): void {
  localisePage('appName');
  // Opening on the Sessions tab: its code is fetched alongside, not after the first render.
  if (tab === 'sessions') void SessionsView.preload();
  render(<App />, document.getElementById('app')!);
}
