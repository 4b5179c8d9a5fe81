import { describe, expect, it } from 'vitest';
import { visibleText } from '../../src/lib/untrusted-text';

describe('visibleText', () => {
  it('shows a right-to-left override instead of obeying it', () => {
    expect(visibleText('\u202Egnp.exe')).toBe('⟨U+202E⟩gnp.exe');
  });

  it('escapes every bidi control', () => {
    const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
    for (const c of controls) {
      const code = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      expect(visibleText(`a${c}b`)).toBe(`a⟨U+${code}⟩b`);
    }
  });

  it('escapes zero-width, invisible format, tag, annotation and control characters', () => {
    expect(visibleText('pay\u200Bpal')).toBe('pay⟨U+200B⟩pal');
    expect(visibleText('a\u200Cb\u2060c\u2064d\uFEFFe\u180Ef')).toBe('a⟨U+200C⟩b⟨U+2060⟩c⟨U+2064⟩d⟨U+FEFF⟩e⟨U+180E⟩f');
    expect(visibleText('x\u{E0041}\u{E007F}')).toBe('x⟨U+E0041⟩⟨U+E007F⟩');
    expect(visibleText('\uFFF9a\uFFFAb\uFFFB')).toBe('⟨U+FFF9⟩a⟨U+FFFA⟩b⟨U+FFFB⟩');
    expect(visibleText('a\u0000b\u001Bc\u007Fd\u0085e\u009Bf')).toBe('a⟨U+0000⟩b⟨U+001B⟩c⟨U+007F⟩d⟨U+0085⟩e⟨U+009B⟩f');
    expect(visibleText('line\nbreak\u2028para\u2029')).toBe('line⟨U+000A⟩break⟨U+2028⟩para⟨U+2029⟩');
    expect(visibleText('\u3164')).toBe('⟨U+3164⟩');
    expect(visibleText('lone \uD800 surrogate')).toBe('lone ⟨U+D800⟩ surrogate');
  });

  it('keeps letters of every script, accents and emoji as they are', () => {
    for (const text of ['مرحبا بالعالم', 'שלום', 'Ελληνικά', '日本語', 'Zoë Ångström', 'cafe\u0301', '👍🏽', '❤️', '🇫🇷', 'Pixel 8 (Android 15)']) {
      expect(visibleText(text)).toBe(text);
    }
  });

  it('keeps a zero-width joiner inside an emoji sequence, and escapes it anywhere else', () => {
    const family = '👨\u200D👩\u200D👧';
    expect(visibleText(family)).toBe(family);
    expect(visibleText('🏳️\u200D🌈')).toBe('🏳️\u200D🌈');
    expect(visibleText('👩🏽\u200D💻')).toBe('👩🏽\u200D💻');
    expect(visibleText('a\u200Db')).toBe('a⟨U+200D⟩b');
    expect(visibleText('👨\u200Db')).toBe('👨⟨U+200D⟩b');
    expect(visibleText('\u200D👨')).toBe('⟨U+200D⟩👨');
  });

  it('is idempotent: escaped text passes through unchanged', () => {
    const once = visibleText('\u202Egnp.exe\u200B');
    expect(visibleText(once)).toBe(once);
  });
});
