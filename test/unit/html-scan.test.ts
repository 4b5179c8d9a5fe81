import { describe, expect, it } from 'vitest';
import { scanHtml, type HtmlToken } from '../../src/lib/html-scan';

const tokens = (html: string): HtmlToken[] => [...scanHtml(html)];

describe('scanHtml', () => {
  it('reads a tag whose quoted value holds ">" and one whose unquoted value holds a quote, as browsers do', () => {
    expect(tokens(`<a title="1 > 0" href='/out'>Sign out</a><b title=don't>x</b>`)).toEqual([
      { type: 'start', name: 'a', attrs: { title: '1 > 0', href: '/out' }, selfClosing: false },
      { type: 'text', text: 'Sign out' },
      { type: 'end', name: 'a' },
      { type: 'start', name: 'b', attrs: { title: "don't" }, selfClosing: false },
      { type: 'text', text: 'x' },
      { type: 'end', name: 'b' },
    ]);
  });

  it('keeps a stray "<" as text, skips doctype and comments, and drops a tag the page never closes with what follows', () => {
    expect(tokens('<!doctype html>1 < 2<!-- <a href="/x">no</a> --><br/><a href="/logout" ')).toEqual([
      { type: 'text', text: '1 ' }, { type: 'text', text: '<' }, { type: 'text', text: ' 2' },
      { type: 'start', name: 'br', attrs: {}, selfClosing: true },
    ]);
  });

  it('names a tag up to a space, "/" or ">", so "<a<b" is no link', () => {
    expect(tokens('<a<b href="/logout">x<br/>').filter((t) => t.type === 'start').map((t) => t.type === 'start' && t.name)).toEqual(['a<b', 'br']);
  });

  it('skips the contents of script and style', () => {
    expect(tokens('<script>if (a<b) "<a href=x>"</script><p>ok</p>').map((t) => t.type === 'start' ? t.name : t.type)).toEqual(['script', 'end', 'p', 'text', 'end']);
  });

  // Security review, session 9: from every "<" the old tokenizer rescanned up to 8 KB when no ">"
  // followed, so a 2 MB page from a linked site held the worker 5 to 8 s (up to 4 such pages per
  // sign-out). Each character is now looked at once: these take tens of milliseconds, far inside
  // the test's limit, which the old scan exceeded.
  it.each([['<a', 1_000_000], ['<a "', 500_000], ['<a x=', 400_000], ['<a x="', 300_000]])('reads a hostile 2 MB page of %j in one pass', (unit, times) => {
    const page = `${unit.repeat(times)}<a href="/logout">Log out</a>`;
    expect(tokens(page).slice(-2)).toEqual([{ type: 'text', text: 'Log out' }, { type: 'end', name: 'a' }]);
  }, 3_000);
});
