import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownToHtml, privacyHtml } from '../../scripts/privacy-page';

describe('privacy page', () => {
  it('renders headings, paragraphs, lists with continued lines, bold and code, escaping HTML', () => {
    const { title, body } = markdownToHtml(
      '# Policy\n\nFirst line\nsecond <line> & more.\n\n## Stored\n\n- **Codes** (`storage.local`): one,\n  two\n- Other',
    );
    expect(title).toBe('Policy');
    expect(body).toBe([
      '<h1>Policy</h1>',
      '<p>First line second &lt;line&gt; &amp; more.</p>',
      '<h2>Stored</h2>',
      '<ul><li><strong>Codes</strong> (<code>storage.local</code>): one, two</li><li>Other</li></ul>',
    ].join('\n'));
  });

  it('refuses Markdown it cannot render rather than showing it raw', () => {
    expect(() => markdownToHtml('# T\n\nSee [the code](https://example.com).')).toThrow(/unsupported Markdown/);
    expect(() => markdownToHtml('# T\n\n### Deeper')).toThrow(/only # and ## headings/);
    expect(() => markdownToHtml('Just text')).toThrow(/must start with a # title/);
  });

  it('renders the real PRIVACY.md', () => {
    const html = privacyHtml(readFileSync('PRIVACY.md', 'utf8'));
    expect(html).toContain('<title>Revoke privacy policy</title>');
    expect(html).toContain('<h2>What Revoke sends, and to whom</h2>');
    expect(html).not.toMatch(/\*\*|`|<script/);
  });

  it('renders the German policy, section for section, as the page German messages link to', async () => {
    const { default: de } = await import('../../_locales/de/messages.json');
    const { default: en } = await import('../../_locales/en/messages.json');
    expect([en.words_privacyPage.message, de.words_privacyPage.message]).toEqual(['/privacy.html', '/privacy.de.html']);
    const html = privacyHtml(readFileSync('PRIVACY.de.md', 'utf8'), 'de');
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<title>Datenschutzerklärung von Revoke</title>');
    // The same sections and list items as the English policy: a translation, not a summary.
    const shape = (md: string) => markdownToHtml(md).body.match(/<(h1|h2|p|li)>/g);
    expect(shape(readFileSync('PRIVACY.de.md', 'utf8'))).toEqual(shape(readFileSync('PRIVACY.md', 'utf8')));
  });
});
