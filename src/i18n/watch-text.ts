import { say, t, type Said } from './t';

/**
 * What the watch says of an account whose service hides the other sessions for now (`why`: the
 * service's rule, a connector's Said): put into words where it is shown, so it follows the language.
 */
export function othersHiddenText(why: Said): string {
  return t('watch_othersHidden', say(why));
}
