/**
 * Drops jsqr's Shift-JIS table (83 KB of the QR decoder, 34 KB of the zipped extension) from
 * the build. It only serves QR codes in Kanji mode, which 2FA codes never use: otpauth links
 * are ASCII (percent-encoded), Google's export links too. A Kanji segment would decode to
 * U+0000 characters, which no import accepts. Fails the build if jsqr's code changed shape,
 * so the table is never silently kept or something else removed.
 */
import type { Plugin } from 'vite';

const TABLE = /exports\.shiftJISTable = \{\n(?: {4}0x[0-9A-F]+: 0x[0-9A-F]+,\n)+\};\n/;

export function dropShiftJisTable(code: string): string {
  if (!TABLE.test(code)) throw new Error('jsqr changed: its Shift-JIS table was not found; check scripts/jsqr-without-kanji.ts.');
  return code.replace(TABLE, 'exports.shiftJISTable = {};\n');
}

export function jsqrWithoutKanji(): Plugin {
  return {
    name: 'revoke-jsqr-without-kanji',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]jsqr[\\/]dist[\\/]jsQR\.js$/.test(id.split('?')[0]!)) return null;
      return { code: dropShiftJisTable(code), map: null };
    },
  };
}
