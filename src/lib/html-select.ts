/**
 * Reads named values out of an HTML page with CSS selectors, and only plain data comes out: the
 * same function runs wherever a DOMParser exists (Chrome's offscreen document, Firefox's
 * background page, happy-dom in tests), and its answer crosses a message boundary unchanged.
 *
 * A query maps names to `selector` (each match's text) or `selector@attribute` (each match's
 * attribute; elements without it give nothing). Every name gets a list, in document order.
 */

/** name -> 'css selector' or 'css selector@attribute'. */
export type HtmlQuery = Readonly<Record<string, string>>;
/** Each name's values, one per matching element. */
export type HtmlValues<Q extends HtmlQuery> = { [K in keyof Q]: string[] };

/** The part of DOMParser this needs. */
export interface HtmlParser {
  parseFromString(html: string, type: 'text/html'): {
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }>;
  };
}

/** Splits 'a.b@href' into selector and attribute; CSS selectors never contain '@'. */
export function parseSpec(spec: string): { selector: string; attribute?: string } {
  const at = spec.lastIndexOf('@');
  const selector = (at < 0 ? spec : spec.slice(0, at)).trim();
  const attribute = at < 0 ? undefined : spec.slice(at + 1).trim();
  if (selector === '' || attribute === '') throw new Error(`Not an HTML query: ${JSON.stringify(spec)}`);
  return attribute === undefined ? { selector } : { selector, attribute };
}

export function selectFromHtml<Q extends HtmlQuery>(parser: HtmlParser, html: string, query: Q): HtmlValues<Q> {
  const doc = parser.parseFromString(html, 'text/html');
  const out: Record<string, string[]> = {};
  for (const [name, spec] of Object.entries(query)) {
    const { selector, attribute } = parseSpec(spec);
    const values: string[] = [];
    for (const el of Array.from(doc.querySelectorAll(selector))) {
      const value = attribute === undefined ? el.textContent : el.getAttribute(attribute);
      if (value !== null) values.push(value);
    }
    out[name] = values;
  }
  return out as HtmlValues<Q>;
}

/** A query as it arrives over a message: names to non-empty strings, nothing else. */
export function isHtmlQuery(value: unknown): value is HtmlQuery {
  return typeof value === 'object' && value !== null && !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string' && v !== '');
}
