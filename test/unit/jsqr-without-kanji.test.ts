import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { dropShiftJisTable } from '../../scripts/jsqr-without-kanji';
import { findQrCodes, type Decoder, type Rgba } from '../../src/qr/find-codes';

const jsqrPath = createRequire(import.meta.url).resolve('jsqr');
const original = readFileSync(jsqrPath, 'utf8');

/** Loads jsqr's UMD bundle from source text, as the build would bundle it. */
function load(code: string): Decoder {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', code)(module, module.exports);
  return (module.exports.default ?? module.exports) as never;
}

function qrImage(text: string, scale = 4): Rgba {
  const { data: matrix } = encode(text, { border: 4 });
  const width = matrix.length * scale;
  const img = { data: new Uint8ClampedArray(width * width * 4).fill(255), width, height: width };
  matrix.forEach((row, y) => row.forEach((dark, x) => {
    if (!dark) return;
    for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
      const i = ((y * scale + dy) * width + x * scale + dx) * 4;
      img.data[i] = img.data[i + 1] = img.data[i + 2] = 0;
    }
  }));
  return img;
}

describe('jsqr without its Shift-JIS table', () => {
  const trimmed = dropShiftJisTable(original);

  it('removes the table (most of the decoder) and nothing else', () => {
    expect(original.length - trimmed.length).toBeGreaterThan(100_000);
    expect(trimmed).toContain('exports.shiftJISTable = {};');
    expect(trimmed.replace('exports.shiftJISTable = {};\n', '')).toBe(original.replace(/exports\.shiftJISTable = \{[^}]*\};\n/, ''));
  });

  it('still reads the QR codes 2FA uses', () => {
    const links = [
      'otpauth://totp/Example%20%C3%9Cber:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example%20%C3%9Cber',
      'otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAhABGAEgAA%3D%3D',
    ];
    for (const link of links) expect(findQrCodes(qrImage(link), load(trimmed))).toEqual([link]);
  });

  it('fails loudly when jsqr no longer has the table in the expected shape', () => {
    expect(() => dropShiftJisTable(original.replace('exports.shiftJISTable = {', 'exports.kanji = {'))).toThrow(/jsqr changed/);
  });
});
