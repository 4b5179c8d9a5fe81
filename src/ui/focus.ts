import { useEffect, useRef } from 'preact/hooks';

/**
 * Moving focus to a place a view marked with `data-focus-key` (a result line, the button that
 * opened a form), so keyboard and screen-reader users are not dropped on the page body when the
 * element they were on goes away.
 */
export function focusByKey(root: ParentNode, key: string): boolean {
  const target = [...root.querySelectorAll<HTMLElement>('[data-focus-key]')].find((el) => el.dataset.focusKey === key);
  target?.focus();
  return target !== undefined;
}

/**
 * A ref whose element takes focus when it mounts. Not the autofocus attribute: Chromium honours
 * that once per page, so a second form or confirm step opened in the same page was left unfocused.
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
