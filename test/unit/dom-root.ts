import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh element in the page for each test, handed to `set` before the test file's own
 * beforeEach runs; after the test its Preact tree is unmounted and it is removed.
 */
export function withDomRoot(set: (root: HTMLElement) => void): void {
  let root: HTMLElement;
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
    set(root);
  });
  afterEach(() => {
    render(null, root);
    root.remove();
  });
}
