/**
 * A small, forgiving HTML tokenizer for reading controls out of a page without a DOM (Chrome's
 * worker has none, and the sign-out finder needs elements with all their attributes together,
 * which `html-select` does not give). It yields start tags with their attributes, end tags and
 * text, with entities decoded; comments, <script>, <style> and <template> contents are skipped (a
 * person never sees them as controls). It never throws: anything it does not understand is text.
 */

export type HtmlToken =
  | { type: 'start'; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { type: 'end'; name: string }
  | { type: 'text'; text: string };

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});?/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

const RAW_TEXT = new Set(['script', 'style', 'template', 'textarea', 'title', 'noscript']);
const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function parseAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of source.matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    // The first of two same-named attributes wins, as in browsers.
    if (!(name in attrs)) attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** The page's tokens, in order. `maxTokens` bounds the work a hostile page can cause. */
export function* scanHtml(html: string, maxTokens = 200_000): Generator<HtmlToken> {
  let i = 0;
  let count = 0;
  while (i < html.length && count++ < maxTokens) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      yield { type: 'text', text: decodeEntities(html.slice(i)) };
      return;
    }
    if (lt > i) yield { type: 'text', text: decodeEntities(html.slice(i, lt)) };
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/.exec(html.slice(lt, lt + 8192));
    if (!tag) {
      // "<!doctype", "<?", a stray "<": skip to the next ">" (or keep it as text).
      const gt = html.indexOf('>', lt);
      if (html[lt + 1] === '!' || html[lt + 1] === '?') i = gt < 0 ? html.length : gt + 1;
      else {
        yield { type: 'text', text: '<' };
        i = lt + 1;
      }
      continue;
    }
    const name = tag[2]!.toLowerCase();
    i = lt + tag[0].length;
    if (tag[1]) {
      yield { type: 'end', name };
      continue;
    }
    const body = tag[3] ?? '';
    yield { type: 'start', name, attrs: parseAttrs(body), selfClosing: /\/\s*$/.test(body) };
    if (RAW_TEXT.has(name)) {
      // Contents are not markup; the ones a person reads as a label (title) are not controls either.
      const close = new RegExp(`</${name}`, 'ig');
      close.lastIndex = i;
      i = close.exec(html)?.index ?? html.length;
    }
  }
}
