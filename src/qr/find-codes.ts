/**
 * Finds every QR code in an image, including small and off-centre ones.
 * jsQR reports one code per call, so each found code is painted over and the
 * image scanned again; then overlapping half-size windows are scanned, which
 * finds codes too small to be located in the whole picture. The decoder is
 * passed in so this module stays free of it (the caller lazy-loads jsqr).
 */
export interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

interface Point { x: number; y: number }
export interface Found {
  data: string;
  location: { topLeftCorner: Point; topRightCorner: Point; bottomLeftCorner: Point; bottomRightCorner: Point };
}
export type Decoder = (data: Uint8ClampedArray, width: number, height: number) => Found | null;

const MAX_CODES = 20;

function crop(img: Rgba, x0: number, y0: number, w: number, h: number): Rgba {
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const from = ((y0 + y) * img.width + x0) * 4;
    out.set(img.data.subarray(from, from + w * 4), y * w * 4);
  }
  return { data: out, width: w, height: h };
}

/** Paints the code's bounding box (with a margin) white so the next scan finds another one. */
function blank(img: Rgba, f: Found): void {
  const xs = [f.location.topLeftCorner.x, f.location.topRightCorner.x, f.location.bottomLeftCorner.x, f.location.bottomRightCorner.x];
  const ys = [f.location.topLeftCorner.y, f.location.topRightCorner.y, f.location.bottomLeftCorner.y, f.location.bottomRightCorner.y];
  const margin = Math.max(4, (Math.max(...xs) - Math.min(...xs)) * 0.1);
  const x0 = Math.max(0, Math.floor(Math.min(...xs) - margin)), x1 = Math.min(img.width, Math.ceil(Math.max(...xs) + margin));
  const y0 = Math.max(0, Math.floor(Math.min(...ys) - margin)), y1 = Math.min(img.height, Math.ceil(Math.max(...ys) + margin));
  for (let y = y0; y < y1; y++) img.data.fill(255, (y * img.width + x0) * 4, (y * img.width + x1) * 4);
}

function scanRepeatedly(img: Rgba, decode: Decoder, found: Set<string>): void {
  for (let i = 0; i < MAX_CODES && found.size < MAX_CODES; i++) {
    const f = decode(img.data, img.width, img.height);
    if (!f) return;
    if (f.data) found.add(f.data);
    blank(img, f);
  }
}

export function findQrCodes(image: Rgba, decode: Decoder): string[] {
  const found = new Set<string>();
  // Work on a copy: blanking must not alter the caller's pixels.
  const whole = { data: new Uint8ClampedArray(image.data), width: image.width, height: image.height };
  scanRepeatedly(whole, decode, found);
  const w = Math.floor(image.width / 2), h = Math.floor(image.height / 2);
  if (w >= 40 && h >= 40) {
    for (const fy of [0, 0.5, 1]) {
      for (const fx of [0, 0.5, 1]) {
        // Windows come from the blanked image, so codes found already are not decoded again.
        scanRepeatedly(crop(whole, Math.floor(fx * (image.width - w)), Math.floor(fy * (image.height - h)), w, h), decode, found);
      }
    }
  }
  return [...found];
}
