/** A page speaks the browser's language: its `lang` (screen readers, hyphenation) and its title. */
import { t, uiLocale, type MessageKey } from '../i18n/t';

export function localisePage(title: MessageKey): void {
  document.documentElement.lang = uiLocale();
  document.title = t(title);
}
