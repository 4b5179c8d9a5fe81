/**
 * Builds privacy.html from PRIVACY.md (and privacy.de.html from PRIVACY.de.md), so the options page
 * links to the policy inside the extension, in the browser's language (its link is the message
 * words_privacyPage); it works offline, and the page and the file cannot differ. PRIVACY.md is
 * written in a small Markdown subset, which is all this renders: `#`/`##` headings,
 * paragraphs, `- ` lists (continuation lines indented), **bold** and `code`.
 * Anything else is refused, so the page never shows stray Markdown.
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function inline(text: string): string {
  const html = escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  if (/[*`_[\]]/.test(html.replace(/<code>[^<]*<\/code>/g, ''))) throw new Error(`PRIVACY.md: unsupported Markdown in "${text}"`);
  return html;
}

export function markdownToHtml(markdown: string): { title: string; body: string } {
  const blocks = markdown.replace(/\r\n/g, '\n').trim().split(/\n\s*\n/);
  let title = '';
  const html = blocks.map((block) => {
    const heading = /^(#{1,2}) (.+)$/.exec(block);
    if (heading) {
      if (heading[1] === '#') title ||= heading[2]!;
      return `<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`;
    }
    if (block.startsWith('#')) throw new Error(`PRIVACY.md: only # and ## headings, each its own block: "${block.split('\n')[0]}"`);
    if (block.startsWith('- ')) {
      // A line starting with "- " opens an item; indented lines continue it.
      const items = block.split(/\n(?=- )/).map((item) => inline(item.slice(2).replace(/\n\s+/g, ' ')));
      return `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
    }
    return `<p>${inline(block.replace(/\n/g, ' '))}</p>`;
  });
  if (!title) throw new Error('PRIVACY.md must start with a # title.');
  return { title, body: html.join('\n') };
}

const STYLE = `:root{color-scheme:light dark;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}
body{max-width:44rem;margin:0 auto;padding:24px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}li{margin:4px 0}`;

export function privacyHtml(markdown: string, lang = 'en'): string {
  const { title, body } = markdownToHtml(markdown);
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${inline(title)}</title><style>${STYLE}</style></head><body>\n${body}\n</body></html>\n`;
}

/** Vite plugin: writes one page per language ({ 'privacy.html': ['PRIVACY.md', 'en'], ... }) into the build. */
export function privacyPage(pages: Record<string, [markdownPath: string, lang: string]>): Plugin {
  return {
    name: 'revoke-privacy-page',
    apply: 'build',
    buildStart() {
      for (const [path] of Object.values(pages)) this.addWatchFile(path);
    },
    generateBundle() {
      for (const [fileName, [path, lang]] of Object.entries(pages)) {
        this.emitFile({ type: 'asset', fileName, source: privacyHtml(readFileSync(path, 'utf8'), lang) });
      }
    },
  };
}
