/** The popup's views, rendered once main.tsx has started the reads they show. */
import { render } from 'preact';
import { App, SessionsView } from './App';
import { localisePage } from '../ui/page-language';
import type { Tab } from './start-tab';

export async function showPopup(tab: Tab): Promise<void> {
  localisePage('appName');
  // Opening on the Sessions tab (its code fetched since main.tsx started): the first render waits
  // for it, so the first frame holds the view and the overview read meanwhile, not a placeholder.
  // A chunk that fails to load is said by the view's own fallback.
  if (tab === 'sessions') await SessionsView.preload().catch(() => undefined);
  render(<App />, document.getElementById('app')!);
}
