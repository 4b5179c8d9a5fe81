/**
 * A reproducible zip writer: the same files give the same bytes, whatever their
 * timestamps, permissions or the order the disk lists them in. Stores deflate
 * (or plain, when deflate does not help) entries with UTF-8 names, no extra fields,
 * no directory entries and no zip64 (store packages are far below its limits).
 * Format: PKWARE APPNOTE.TXT, sections 4.3.7 (local header), 4.3.12 (central
 * directory) and 4.3.16 (end of central directory).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the archive, '/'-separated, no leading '/'. */
  name: string;
  data: Uint8Array;
}

/** 1980-01-01 00:00:00, the earliest MS-DOS time a zip can hold: every entry gets it. */
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1;
/** Unix mode 0644 regular file, in the high half of the external attributes. */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;
const VERSION = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION;
const UTF8_NAMES = 1 << 11;
const MAX_32 = 0xffff_ffff;
/** Fixed sizes of the local header, the central directory header and the end record (the names follow the first two). */
const LOCAL = 30;
const CENTRAL = 46;
const END = 22;

function checkName(name: string): void {
  if (!name || name.startsWith('/') || name.includes('\\') || name.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`Not a valid path inside a zip: "${name}"`);
  }
}

/** What an entry stores: its deflated data, or the data as it is when deflate does not make it smaller. */
export function packed(data: Uint8Array): { stored: boolean; body: Buffer } {
  const deflated = deflateRawSync(data, { level: 9 });
  const stored = deflated.length >= data.length;
  return { stored, body: stored ? Buffer.from(data) : deflated };
}

/** The bytes a zip of these entries spends beside their data: a local and a central header per entry, each with the name, and the end record. */
export function headerBytes(names: readonly string[]): number {
  return names.reduce((sum, name) => sum + LOCAL + CENTRAL + 2 * Buffer.byteLength(name, 'utf8'), END);
}

/** Entries sorted by name (code-unit order, as the disk's order must not matter), then written. */
export function zip(entries: ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;

  for (const { name, data } of sorted) {
    checkName(name);
    if (seen.has(name)) throw new Error(`Two files named "${name}" in one zip.`);
    seen.add(name);
    const nameBytes = Buffer.from(name, 'utf8');
    const { stored, body } = packed(data);
    const crc = crc32(data);
    if (data.length > MAX_32 || offset > MAX_32) throw new Error('The package is too large for a zip without zip64.');

    const local = Buffer.alloc(LOCAL);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(CENTRAL);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra field length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE(FILE_ATTRIBUTES, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }

  if (sorted.length > 0xffff) throw new Error('Too many files for a zip without zip64.');
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(END);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Every file under `dir`, named relative to it with '/' separators. */
export function filesUnder(dir: string): ZipEntry[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => {
      const path = join(d.parentPath, d.name);
      return { name: relative(dir, path).split(sep).join('/'), data: readFileSync(path) };
    });
}
