/** Saving generated files: a Blob behind a short-lived object URL, clicked through an <a download>. */

/** "revoke-backup" → "revoke-backup-2025-03-09.json", by the local calendar (what the person sees as today). */
export function datedName(stem: string, ext: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${stem}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${ext}`;
}

export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  try {
    a.click();
  } finally {
    a.remove();
    // The download has taken its copy once the click's task is over; the secrets should not stay
    // reachable through the URL for the life of the page.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
