import { describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { encode } from 'uqr';
import { findQrCodes, type Rgba } from '../../src/qr/find-codes';

/** A white canvas of the given size. */
function canvas(width: number, height: number): Rgba {
  return { data: new Uint8ClampedArray(width * height * 4).fill(255), width, height };
}

/** Draws `text` as a QR code (real encoder: uqr) with `scale` px modules at (x, y). */
function drawQr(img: Rgba, text: string, x: number, y: number, scale: number): void {
  const { data: matrix } = encode(text, { border: 2 });
  matrix.forEach((row, my) => row.forEach((dark, mx) => {
    if (!dark) return;
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const i = ((y + my * scale + dy) * img.width + (x + mx * scale + dx)) * 4;
        img.data[i] = img.data[i + 1] = img.data[i + 2] = 0;
      }
    }
  }));
}

const A = 'otpauth://totp/Alpha:me?secret=JBSWY3DPEHPK3PXP&issuer=Alpha';
const B = 'otpauth://totp/Bravo:you?secret=KRSXG5CTMVRXEZLU&issuer=Bravo';

describe('findQrCodes', () => {
  it('finds a single centred code', () => {
    const img = canvas(400, 300);
    drawQr(img, A, 120, 40, 4);
    expect(findQrCodes(img, jsQR)).toEqual([A]);
  });

  it('finds every code when a page shows several', () => {
    const img = canvas(900, 500);
    drawQr(img, A, 40, 60, 4);
    drawQr(img, B, 560, 200, 4);
    expect(findQrCodes(img, jsQR).sort()).toEqual([A, B].sort());
  });

  it('finds a small code off in a corner of a large screenshot', () => {
    const img = canvas(1280, 800);
    drawQr(img, B, 1120, 660, 2);
    expect(findQrCodes(img, jsQR)).toEqual([B]);
  });

  it('returns nothing for an image without a code, and leaves the input untouched', () => {
    const img = canvas(300, 200);
    for (let i = 0; i < img.data.length; i += 4) img.data[i] = (i * 7) % 255;
    const copy = new Uint8ClampedArray(img.data);
    expect(findQrCodes(img, jsQR)).toEqual([]);
    expect(img.data).toEqual(copy);
  });
});
