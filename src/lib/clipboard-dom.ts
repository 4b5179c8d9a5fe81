/**
 * Clears the clipboard only if it still holds what Revoke put there, so that
 * something the person copied since is never wiped. Needs a DOM document and
 * the clipboardRead permission (an offscreen document in Chrome, the
 * background page in Firefox): service workers have no clipboard access.
 */
export function clearClipboardIfHolds(doc: Document, text: string): 'cleared' | 'changed' | 'unreadable' {
  const area = doc.createElement('textarea');
  doc.body.append(area);
  try {
    area.focus();
    if (!doc.execCommand('paste')) return 'unreadable';
    if (area.value !== text) return 'changed';
    // A copy event whose data we set to '' empties the clipboard without putting anything else in it.
    const onCopy = (ev: ClipboardEvent) => {
      ev.clipboardData?.setData('text/plain', '');
      ev.preventDefault();
    };
    doc.addEventListener('copy', onCopy);
    try {
      doc.execCommand('copy');
    } finally {
      doc.removeEventListener('copy', onCopy);
    }
    return 'cleared';
  } finally {
    area.remove();
  }
}
