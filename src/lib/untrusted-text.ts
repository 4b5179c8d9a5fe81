/**
 * Text from servers and imported files, made safe to look at. A right-to-left override turns
 * "\u202Egnp.exe" into what reads as "exe.png"; zero-width and other invisible characters make
 * two different names look the same. Such characters are shown as visible escapes ("⟨U+202E⟩")
 * instead of being obeyed or dropped, so the person sees that something odd is there.
 *
 * Replaced: every format character (Unicode category Cf: bidi controls U+202A–202E, U+2066–2069,
 * U+200E/F, U+061C; zero-width U+200B–200D, U+2060–2064, U+FEFF, U+180E; tags U+E0000–E007F;
 * interlinear annotation U+FFF9–FFFB; soft hyphen, ...), C0/C1 controls, line and paragraph
 * separators, lone surrogates, and the Hangul fillers that render as blank letters.
 * Kept: letters of every script (Arabic, Hebrew, ...), combining marks, variation selectors, and a
 * zero-width joiner between two emoji, which only glues an emoji sequence (👨‍👩‍👧) together.
 */

const HIDDEN = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\p{Cs}\u115F\u1160\u3164\uFFA0]/gu;
const ZWJ = 0x200d;
const EMOJI = /^\p{Extended_Pictographic}$/u;
/** May sit between an emoji and the joiner: variation selector 16 and the skin-tone modifiers. */
const EMOJI_TRAILER = /[\uFE0F\u{1F3FB}-\u{1F3FF}]$/u;

export function visibleText(text: string): string {
  return text.replace(HIDDEN, (char, offset: number) => {
    const code = char.codePointAt(0)!;
    if (code === ZWJ && joinsEmoji(text, offset)) return char;
    return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
  });
}

function joinsEmoji(text: string, offset: number): boolean {
  let before = text.slice(0, offset);
  while (EMOJI_TRAILER.test(before)) before = before.replace(EMOJI_TRAILER, '');
  const previous = Array.from(before.slice(-2)).at(-1) ?? '';
  const next = String.fromCodePoint(text.codePointAt(offset + 1) ?? 0);
  return EMOJI.test(previous) && EMOJI.test(next);
}
