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
