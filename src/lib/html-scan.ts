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
// An unquoted value runs to the next space, quotes and slashes included (`title=don't`, `href=/x/`), as in browsers.
const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+)))?/g;

function parseAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of source.matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    // The first of two same-named attributes wins, as in browsers.
    if (!(name in attrs)) attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

// A tag's name runs to a space, "/" or ">" ("<a<b" is one tag named "a<b", as in browsers).
const TAG_NAME = /[a-zA-Z][^\s/>]*/y;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/**
 * The index of the `>` that closes a tag whose attributes start at `from`, or -1 when the page ends
 * first. As in browsers, a quote counts only where it opens an attribute's value (`title=don't` is
 * no quote), and a tag once opened runs to its `>`: each character is looked at once, so a hostile
 * page ("<a" a million times) costs linear time, not a rescan from every "<".
 */
function tagEnd(html: string, from: number): number {
  let i = from;
  while (i < html.length) {
    const c = html.charCodeAt(i);
    if (c === 62 /* > */) return i;
    i++;
    if (c !== 61 /* = */) continue;
    while (i < html.length && isSpace(html.charCodeAt(i))) i++;
    const quote = html[i];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 1);
      if (close < 0) return -1;
      i = close + 1;
    }
  }
  return -1;
}

/** The page's tokens, in order. `maxTokens` bounds how many a hostile page can make. */
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
    const closing = html[lt + 1] === '/';
    TAG_NAME.lastIndex = lt + (closing ? 2 : 1);
    const tagName = TAG_NAME.exec(html);
    if (!tagName) {
      // "<!doctype", "<?", a stray "<": skip to the next ">" (or keep it as text).
      const gt = html.indexOf('>', lt);
      if (html[lt + 1] === '!' || html[lt + 1] === '?') i = gt < 0 ? html.length : gt + 1;
      else {
        yield { type: 'text', text: '<' };
        i = lt + 1;
      }
      continue;
    }
    const bodyStart = TAG_NAME.lastIndex;
    const gt = tagEnd(html, bodyStart);
    // A tag the page never closes: browsers drop it and everything after it.
    if (gt < 0) return;
    const name = tagName[0].toLowerCase();
    i = gt + 1;
    if (closing) {
      yield { type: 'end', name };
      continue;
    }
    const body = html.slice(bodyStart, gt);
    yield { type: 'start', name, attrs: parseAttrs(body), selfClosing: /\/\s*$/.test(body) };
    if (RAW_TEXT.has(name)) {
      // Contents are not markup; the ones a person reads as a label (title) are not controls either.
      const close = new RegExp(`</${name}`, 'ig');
      close.lastIndex = i;
      i = close.exec(html)?.index ?? html.length;
    }
  }
}
