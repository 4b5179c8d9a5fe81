/**
 * Where the Chrome zip's bytes go, measured: `npm run package` prints it after the sizes.
 * A second Chrome build with source maps (into a temporary directory; dist/ ships none) is checked
 * to hold the very JS that ships; its maps split each chunk among the source files it came from.
 * Deflate cannot say which input byte cost what, so a chunk's size in the zip is shared among its
 * sources in proportion to the minified bytes each one generated: a row is an estimate, the total
 * is exact. Other files count whole, by kind; the zip's headers are a row of their own.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { decode } from '@jridgewell/sourcemap-codec';
import { headerBytes, packed, type ZipEntry } from './zip';

export const GLUE = '(chunk glue)';
export const HEADERS = '(zip headers)';

/**
 * Areas of the code by source path (from the project root; a package's as node_modules/<name>/),
 * first match wins. Bundler helpers without a source, and unmapped bytes, are GLUE.
 */
export const AREAS: readonly (readonly [area: string, prefixes: readonly string[]])[] = [
  ['public-suffix list', ['virtual:public-suffix-list', 'src/lib/public-suffix.ts']],
  ['connectors', ['src/connectors/']],
  ['session engine', ['src/sessions/']],
  ['background', ['src/background/']],
  ['popup', ['src/popup/']],
  ['options', ['src/options/']],
  ['welcome, offscreen', ['src/welcome/', 'src/offscreen/']],
  ['shared UI', ['src/ui/']],
  ['vault import formats', ['src/vault/import/']],
  ['vault core', ['src/vault/']],
  ['QR (jsQR, uqr)', ['src/qr/', 'node_modules/jsqr/', 'node_modules/uqr/']],
  ['lib, i18n', ['src/lib/', 'src/i18n/']],
  ['preact', ['node_modules/preact/']],
  ['webextension-polyfill, idb', ['node_modules/webextension-polyfill/', 'node_modules/idb/']],
  ['otpauth', ['node_modules/otpauth/']],
  ['@noble/hashes', ['node_modules/@noble/hashes/']],
  ['other packages', ['node_modules/']],
];

export function areaOf(source: string): string {
  if (source === GLUE) return GLUE;
  return AREAS.find(([, prefixes]) => prefixes.some((p) => source.startsWith(p)))?.[0] ?? 'other sources';
}

/** The area of a file counted whole, by its path in the zip. */
export function fileArea(name: string): string {
  const locale = /^_locales\/([^/]+)\//.exec(name);
  if (locale) return `_locales/${locale[1]}`;
  if (name.endsWith('.js')) return GLUE; // a JS file without a map: the bundler's runtime, crxjs's loader
  if (name.endsWith('.css')) return 'CSS';
  if (name.endsWith('.html')) return 'HTML (page shells, privacy policies)';
  if (name.startsWith('icons/') || name === 'manifest.json') return 'icons, manifest.json';
  return 'other files';
}

export interface SourceMap {
  sources: readonly (string | null)[];
  mappings: string;
  sourceRoot?: string;
}

/** The UTF-8 bytes of `code` each source of `map` generated; unmapped bytes and line breaks are GLUE. */
export function generatedBytes(code: string, map: SourceMap): Map<string, number> {
  const out = new Map<string, number>();
  const add = (source: string, text: string) => {
    if (text) out.set(source, (out.get(source) ?? 0) + Buffer.byteLength(text, 'utf8'));
  };
  const lines = decode(map.mappings);
  code.split('\n').forEach((line, i, all) => {
    // A segment's source owns the generated text up to the next segment (columns are UTF-16 units).
    let column = 0;
    let source = GLUE;
    for (const segment of lines[i] ?? []) {
      add(source, line.slice(column, segment[0]));
      column = segment[0];
      source = segment.length >= 4 ? (map.sources[segment[1]!] ?? GLUE) : GLUE;
    }
    add(source, line.slice(column));
    if (i < all.length - 1) add(GLUE, '\n');
  });
  return out;
}

/**
 * A map's source as a path from the project root, or node_modules/<package>/... for a package
 * (wherever node_modules really is: it may be a link to another checkout's).
 */
export function projectPath(source: string, mapDir: string, root: string, sourceRoot = ''): string {
  const path = resolve(mapDir, sourceRoot, source).split(sep).join('/');
  const i = path.lastIndexOf('/node_modules/');
  return i >= 0 ? path.slice(i + 1) : relative(root, path).split(sep).join('/');
}

/** `total` shared among the keys of `weights`, in proportion to their values. */
export function share(weights: ReadonlyMap<string, number>, total: number): Map<string, number> {
  const sum = [...weights.values()].reduce((a, b) => a + b, 0);
  return new Map([...weights].map(([key, weight]) => [key, sum ? (total * weight) / sum : 0]));
}

/** A file of the zip: its name, its size in the zip, and for a mapped JS chunk the bytes each source generated. */
export interface Measured {
  name: string;
  packed: number;
  sources?: ReadonlyMap<string, number>;
}

export interface Row {
  area: string;
  bytes: number;
}

/** Bytes in the zip by area, largest first; fails unless they add up to the zip's size. */
export function breakdown(files: readonly Measured[], zipSize: number): Row[] {
  const areas = new Map<string, number>();
  const add = (area: string, bytes: number) => areas.set(area, (areas.get(area) ?? 0) + bytes);
  for (const file of files) {
    if (file.sources) for (const [source, bytes] of share(file.sources, file.packed)) add(areaOf(source), bytes);
    else add(fileArea(file.name), file.packed);
  }
  add(HEADERS, headerBytes(files.map((f) => f.name)));
  const rows = [...areas].map(([area, bytes]) => ({ area, bytes })).sort((a, b) => b.bytes - a.bytes);
  const sum = rows.reduce((s, r) => s + r.bytes, 0);
  if (Math.abs(sum - zipSize) > 0.5) {
    throw new Error(`size-breakdown: the areas add up to ${sum.toFixed(1)} bytes, the zip has ${zipSize}: the zip's format and this count differ.`);
  }
  return rows;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The rows as a table, with the total and, given a budget, how much it asks to drop. */
export function formatBreakdown(rows: readonly Row[], zipSize: number, budget?: number): string {
  const width = Math.max(...rows.map((r) => r.area.length), 'total'.length);
  const line = (area: string, bytes: number) =>
    `  ${area.padEnd(width)}  ${kb(bytes).padStart(8)}  ${((100 * bytes) / zipSize).toFixed(1).padStart(5)} %`;
  const out = [
    'Where the Chrome zip goes (deflated size; a chunk shared among its sources by their minified bytes):',
    ...rows.map((r) => line(r.area, r.bytes)),
    line('total', zipSize),
    `${GLUE}: imports and exports between chunks, and bundler helpers with no source (Vite's preload, Rolldown's runtime).`,
  ];
  if (budget !== undefined && zipSize > budget) out.push(`A ${kb(budget)} budget means dropping ${kb(zipSize - budget)} of these.`);
  return out.join('\n');
}

/** The map build's JS as it ships: without the line that names its map. */
const withoutMapComment = (code: string) => code.replace(/\n\/\/# sourceMappingURL=[^\n]*$/, '');

/**
 * Builds the Chrome build again with source maps and measures `entries` (dist/'s files, as
 * zipped) by it. Fails when a JS file differs from the shipped one, so the split is of what ships.
 */
export function chromeZipBreakdown(root: string, entries: readonly ZipEntry[], zipSize: number): Row[] {
  const outDir = mkdtempSync(join(tmpdir(), 'revoke-size-'));
  try {
    const env = { ...process.env };
    delete env.BROWSER;
    delete env.E2E;
    // Its chunk list is the one `npm run build` just printed: only errors are shown.
    execFileSync('npx', ['vite', 'build', '--sourcemap', '--outDir', outDir], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    const files = entries.map(({ name, data }): Measured => {
      const size = packed(data).body.length;
      if (!name.endsWith('.js')) return { name, packed: size };
      const path = join(outDir, name);
      const code = existsSync(path) ? withoutMapComment(readFileSync(path, 'utf8')) : null;
      if (code === null || !Buffer.from(code, 'utf8').equals(data)) {
        throw new Error(`size-breakdown: ${name} of the source-mapped build is not the one in dist/ (${code === null ? 'missing' : `${Buffer.byteLength(code)} bytes, dist/ has ${data.length}`}); the breakdown would not be of what ships.`);
      }
      if (!existsSync(`${path}.map`)) return { name, packed: size };
      const map = JSON.parse(readFileSync(`${path}.map`, 'utf8')) as SourceMap;
      const named = { ...map, sources: map.sources.map((s) => (s === null ? null : projectPath(s, dirname(path), root, map.sourceRoot))) };
      return { name, packed: size, sources: generatedBytes(code, named) };
    });
    return breakdown(files, zipSize);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
