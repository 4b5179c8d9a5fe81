import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { filesUnder, zip } from '../../scripts/zip';

/** An independent reader: the central directory, then each entry's local header and data. */
function unzipEntries(archive: Buffer): { name: string; data: Buffer; time: number; date: number; mode: number }[] {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  let p = archive.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(p)).toBe(0x02014b50);
    const method = archive.readUInt16LE(p + 10);
    const crc = archive.readUInt32LE(p + 16);
    const size = archive.readUInt32LE(p + 20);
    const nameLength = archive.readUInt16LE(p + 28);
    const skip = nameLength + archive.readUInt16LE(p + 30) + archive.readUInt16LE(p + 32);
    const local = archive.readUInt32LE(p + 42);
    const name = archive.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    expect(archive.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const body = archive.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data)).toBe(crc);
    out.push({ name, data, time: archive.readUInt16LE(p + 12), date: archive.readUInt16LE(p + 14), mode: archive.readUInt32LE(p + 38) >>> 16 });
    p += 46 + skip;
  }
  return out;
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'revoke-zip-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const FILES: Record<string, string | Buffer> = {
  'manifest.json': '{"name":"Revoke"}\n',
  'assets/app.js': 'console.log("x");\n'.repeat(200),
  'icons/icon-16.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
  'empty.txt': '',
  'docs/ünïcode näme.md': '# Hallo\n',
};

/** Writes FILES in the given order, with the given mtime and mode, and zips the folder. */
function zipFolder(order: string[], mtime: Date, mode: number): Buffer {
  const dir = tempDir();
  for (const name of order) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, FILES[name]!);
    chmodSync(path, mode);
    utimesSync(path, mtime, mtime);
  }
  return zip(filesUnder(dir));
}

describe('zip writer', () => {
  it('writes every file so that a reader gets the same bytes back, sorted by name', () => {
    const archive = zipFolder(Object.keys(FILES), new Date(), 0o644);
    const entries = unzipEntries(archive);
    expect(entries.map((e) => e.name)).toEqual(Object.keys(FILES).sort());
    for (const e of entries) expect(e.data.equals(Buffer.from(FILES[e.name]!))).toBe(true);
    // Fixed metadata: 1980-01-01 00:00, mode 0644.
    expect(new Set(entries.map((e) => `${e.date}/${e.time}/${e.mode.toString(8)}`))).toEqual(new Set(['33/0/100644']));
  });

  it('gives byte-identical zips whatever the timestamps, permissions and creation order', () => {
    const names = Object.keys(FILES);
    const a = zipFolder(names, new Date('2020-05-06T07:08:09Z'), 0o644);
    const b = zipFolder([...names].reverse(), new Date('2031-01-02T03:04:05Z'), 0o755);
    expect(b.equals(a)).toBe(true);
    // The disk may list files in any order: the writer's own order must not leak through either.
    const entries = Object.entries(FILES).map(([name, data]) => ({ name, data: Buffer.from(data) }));
    expect(zip([...entries].reverse()).equals(zip(entries))).toBe(true);
  });

  it('passes unzip’s own integrity test', () => {
    const dir = tempDir();
    const path = join(dir, 'test.zip');
    writeFileSync(path, zipFolder(Object.keys(FILES), new Date(), 0o600));
    const report = execFileSync('unzip', ['-t', path], { encoding: 'utf8' });
    expect(report).toMatch(/No errors detected/);
    const listing = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' });
    expect(listing.trim().split('\n')).toEqual(Object.keys(FILES).sort());
  });

  it('refuses unsafe or duplicate names instead of writing a zip that unpacks elsewhere', () => {
    const data = new Uint8Array();
    expect(() => zip([{ name: '../evil', data }])).toThrow(/Not a valid path/);
    expect(() => zip([{ name: '/abs', data }])).toThrow(/Not a valid path/);
    expect(() => zip([{ name: 'a', data }, { name: 'a', data }])).toThrow(/Two files named "a"/);
  });
});
