/**
 * The shipped messages files (scripts/shipped-messages.ts) say exactly what the source files say,
 * for every message of both languages, read by chrome.i18n's rules (src/i18n/messages-file.ts).
 */
import { describe, expect, it } from 'vitest';
import de from '../../_locales/de/messages.json';
import en from '../../_locales/en/messages.json';
import { formatMessage, type MessagesFile } from '../../src/i18n/messages-file';
import { compactMessages } from '../../scripts/shipped-messages';

const SUBS = ['«one»', '«two»', '«three»', '«four»', '«five»', '«six»', '«seven»', '«eight»', '«nine»'];

describe('the shipped messages files', () => {
  it.each([['en', en], ['de', de]] as const)('%s: every message reads the same, with its substitutions, and is smaller', (_, file) => {
    const source = file as MessagesFile;
    const shipped = compactMessages(source);
    expect(Object.keys(shipped)).toEqual(Object.keys(source));
    for (const key of Object.keys(source)) {
      expect(formatMessage(shipped[key]!, SUBS), key).toBe(formatMessage(source[key]!, SUBS));
    }
    // Substitutions written in: no placeholders or descriptions left to ship.
    expect(Object.values(shipped).filter((e) => e.placeholders || e.description)).toEqual([]);
    expect(JSON.stringify(shipped).length).toBeLessThan(0.7 * JSON.stringify(source, null, 2).length);
  });

  it('keeps the placeholders where writing them in would read as a placeholder again, and refuses an undefined one', () => {
    const file: MessagesFile = {
      side: { message: '$a$$b$ and $C$', placeholders: { a: { content: '$1' }, b: { content: '$2' }, c: { content: 'Revoke', example: 'x' } } },
      plain: { message: 'Found $codes$ in $from$.', description: 'for translators', placeholders: { codes: { content: '$1' }, from: { content: '$2' } } },
    };
    const shipped = compactMessages(file);
    expect(shipped.plain).toEqual({ message: 'Found $1 in $2.' });
    expect(shipped.side).toEqual({ message: '$a$$b$ and $C$', placeholders: { a: { content: '$1' }, b: { content: '$2' }, c: { content: 'Revoke' } } });
    expect(formatMessage(shipped.side!, ['x', 'y'])).toBe('xy and Revoke');
    expect(() => compactMessages({ bad: { message: 'Hi $who$' } })).toThrow(/uses \$who\$/);
  });
});
