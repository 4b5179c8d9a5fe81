// Draws Revoke's toolbar icon as PNGs: a "sign out" mark (a door frame, an arrow leaving it) in
// white on an indigo tile, the colour of the extension's primary buttons. Drawn on a 16-unit grid
// with 2-unit strokes, so at 16 px every stroke is two whole pixels wide and nothing blurs.
// Run once after changing the design: node scripts/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
// Coverage of the shapes at a point in unit coordinates (0..1): 0 outside, 1 tile, 2 mark.
const TILE = [52, 70, 201]; // #3446c9, --accent in styles.css
function shape(u, v) {
  const r = 0.2, inTile = (() => {
    const dx = Math.max(r - u, 0, u - (1 - r)), dy = Math.max(r - v, 0, v - (1 - r));
    return dx * dx + dy * dy <= r * r;
  })();
  if (!inTile) return 0;
  const x = u * 16, y = v * 16; // the 16-px grid
  const box = (x0, y0, x1, y1) => x >= x0 && x < x1 && y >= y0 && y < y1;
  // The door frame, open on the right: left post and two short lintels.
  const frame = box(3, 3, 5, 13) || box(3, 3, 7, 5) || box(3, 11, 7, 13);
  // The arrow leaving it: a shaft and a head whose tip reaches x = 14.
  const shaft = box(7, 7, 11, 9);
  const head = x >= 10 && x < 14 && Math.abs(y - 8) < 4 - (x - 10);
  return frame || shaft || head ? 2 : 1;
}
mkdirSync('public/icons', { recursive: true });
for (const size of [16, 32, 48, 128]) {
  const S = 4;
  const buf = png(size, (x, y) => {
    let tile = 0, mark = 0;
    for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) {
      const s = shape((x + (i + 0.5) / S) / size, (y + (j + 0.5) / S) / size);
      if (s >= 1) tile++;
      if (s === 2) mark++;
    }
    const a = tile / (S * S), m = tile ? mark / tile : 0;
    const c = TILE.map((t) => Math.round(t + (255 - t) * m));
    return [...c, Math.round(a * 255)];
  });
  writeFileSync(`public/icons/icon-${size}.png`, buf);
}
console.log('icons written to public/icons');
