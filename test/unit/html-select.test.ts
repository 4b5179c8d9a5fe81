// this runs under the 'unit' project
// Reading named values out of HTML by selector: what a connector gets from ctx.selectHtml, and what
// crosses the message boundary to Chrome's offscreen document.
import { beforeAll, describe, expect, it } from 'vitest';
import { isHtmlQuery, parseSpec, selectFromHtml, type HtmlParser } from '../../src/lib/html-select';
import { isOffscreenRequest } from '../../src/lib/messages';
import { loadHtmlParser } from '../connectors/harness';

const PAGE = `<!doctype html><html><head data-user="alice" data-requesttoken="a+b/c=:d=="><title>Security - Nextcloud</title></head>
<body><input type="hidden" id="initial-state-settings-app_tokens" value="W10=">
<ul><li class="s">Firefox <b>on</b> Linux</li><li class="s">Safari</li><li class="s" data-id="3">curl</li></ul></body></html>`;

describe('selectFromHtml', () => {
  let parser: HtmlParser;
  beforeAll(async () => {
    parser = await loadHtmlParser();
  });

  it('gives each name the text or attribute of every match, in document order, as plain data', () => {
    const values = selectFromHtml(parser, PAGE, {
      user: 'head@data-user',
      token: 'head[data-requesttoken]@data-requesttoken',
      state: 'input#initial-state-settings-app_tokens@value',
      items: 'li.s',
      ids: 'li.s@data-id',
      title: 'title',
    });
    expect(values).toEqual({
      user: ['alice'],
      token: ['a+b/c=:d=='],
      state: ['W10='],
      items: ['Firefox on Linux', 'Safari', 'curl'],
      ids: ['3'], // elements without the attribute give nothing
      title: ['Security - Nextcloud'],
    });
    expect(structuredClone(values)).toEqual(values);
  });

  it('gives an empty list, not an error, for what the page does not have', () => {
    expect(selectFromHtml(parser, '<p>Log in</p>', { user: 'head@data-user', state: '#initial-state-x@value' })).toEqual({ user: [], state: [] });
  });

  it('refuses a query it cannot read', () => {
    expect(() => parseSpec('@value')).toThrow(/Not an HTML query/);
    expect(() => parseSpec('input@')).toThrow(/Not an HTML query/);
    expect(() => selectFromHtml(parser, PAGE, { bad: 'li[' })).toThrow();
  });
});

describe('the offscreen request for HTML', () => {
  it('accepts a page with a query of strings, and nothing else', () => {
    expect(isOffscreenRequest({ target: 'offscreen', type: 'html/select', html: '<p>', query: { a: 'p' } })).toBe(true);
    expect(isOffscreenRequest({ target: 'offscreen', type: 'html/select', html: '<p>', query: { a: 1 } })).toBe(false);
    expect(isOffscreenRequest({ target: 'offscreen', type: 'html/select', html: 1, query: {} })).toBe(false);
    expect(isOffscreenRequest({ target: 'offscreen', type: 'clipboard/clear-if-holds', text: 'x' })).toBe(true);
    expect(isHtmlQuery(['p'])).toBe(false);
  });
});
