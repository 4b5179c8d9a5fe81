/** Shows text a server or an imported file supplied: hidden characters escaped, direction isolated. */
import { visibleText } from '../lib/untrusted-text';

/**
 * `<bdi>` (direction from its own text, isolated from its neighbours) keeps a right-to-left name
 * from reordering the labels and numbers around it; visibleText shows what the text really holds.
 */
export function Untrusted({ text }: { text: string | null | undefined }) {
  return <bdi dir="auto">{visibleText(text ?? '')}</bdi>;
}
