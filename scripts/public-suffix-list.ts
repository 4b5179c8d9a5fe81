/**
 * The public-suffix list, compacted at build time from the tldts package's data (tldts 7.x
 * ships it as a flat trie in src/data/trie.ts; MPL-2.0 data from publicsuffix.org).
 * tldts's own build carries the list plus its lookup machinery (about 50 KB of the zipped
 * extension); Revoke only asks "is this host itself a public suffix", and ships the rules as
 * one text trie (`src/lib/public-suffix.ts` reads it), about 34 KB zipped.
 *
 * Text format, one trie per section (rules, then exceptions, split by "|"):
 *   label[(children)] siblings split by ",", labels right to left (TLD first);
 *   a leading "?" marks a label that is only a path to longer rules, not a rule itself.
 * Only ASCII labels: hosts reach Revoke through the URL parser, which gives IDNs as punycode,
 * and the list holds every IDN rule in punycode as well.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

type Trie = Map<string, { rule: boolean; kids: Trie }>;

function numbers(source: string, name: string): number[] {
  const m = new RegExp(`export const ${name} = [^\\[]*\\[([\\d,]*)\\]`).exec(source);
  if (!m) throw new Error(`public-suffix-list: tldts's trie has no ${name}; check scripts/public-suffix-list.ts.`);
  return m[1]!.split(',').map(Number);
}

function scalar(source: string, name: string): string {
  const m = new RegExp(`export const ${name} = ("(?:[^"\\\\]|\\\\.)*"|\\d+);`).exec(source);
  if (!m) throw new Error(`public-suffix-list: tldts's trie has no ${name}; check scripts/public-suffix-list.ts.`);
  return JSON.parse(m[1]!) as string;
}

/** Every rule and exception in tldts's trie, as dotted names ("*.ck", "www.ck"). */
export function rulesFromTldts(source: string): { rules: string[]; exceptions: string[] } {
  const flags = numbers(source, 'nodeFlags');
  const start = numbers(source, 'edgeStart');
  const length = numbers(source, 'edgeLength');
  const child = numbers(source, 'edgeChild');
  const text = scalar(source, 'labelText');
  const offset: number[] = [];
  for (let e = 0, o = 0; e < length.length; o += length[e]!, e++) offset.push(o);
  const collect = (root: number): string[] => {
    const out: string[] = [];
    const visit = (node: number, suffix: string) => {
      for (let e = start[node]!; e < start[node + 1]!; e++) {
        const name = text.slice(offset[e], offset[e]! + length[e]!) + (suffix && `.${suffix}`);
        if (flags[child[e]!]) out.push(name);
        visit(child[e]!, name);
      }
    };
    visit(root, '');
    return out;
  };
  const rules = collect(Number(scalar(source, 'rulesRoot')));
  const exceptions = collect(Number(scalar(source, 'exceptionsRoot')));
  if (rules.length < 5000 || exceptions.length === 0) throw new Error(`public-suffix-list: only ${rules.length} rules read from tldts; its format changed?`);
  return { rules, exceptions };
}

function toTrie(names: string[]): Trie {
  const root: Trie = new Map();
  for (const name of names) {
    if (/[^\x20-\x7e]/.test(name)) continue; // the Unicode twin of a punycode rule
    let level = root;
    const labels = name.split('.').reverse();
    labels.forEach((label, i) => {
      if (!/^[a-z0-9_*-]+$/.test(label)) throw new Error(`public-suffix-list: unexpected label "${label}" in ${name}`);
      const node = level.get(label) ?? { rule: false, kids: new Map() };
      if (i === labels.length - 1) node.rule = true;
      level.set(label, node);
      level = node.kids;
    });
  }
  return root;
}

function serialise(trie: Trie): string {
  return [...trie.keys()].sort().map((label) => {
    const { rule, kids } = trie.get(label)!;
    return `${rule ? '' : '?'}${label}${kids.size ? `(${serialise(kids)})` : ''}`;
  }).join(',');
}

export function encodeList(list: { rules: string[]; exceptions: string[] }): string {
  return `${serialise(toTrie(list.rules))}|${serialise(toTrie(list.exceptions))}`;
}

export function tldtsTrieSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(join(dirname(require.resolve('tldts/package.json')), 'src/data/trie.ts'), 'utf8');
}

const ID = 'virtual:public-suffix-list';

/**
 * `import list from 'virtual:public-suffix-list'`: the encoded list as a string. The id has no
 * `\0` prefix: Rolldown leaves a `\0` module out of source maps, and the size breakdown
 * (scripts/size-breakdown.ts) would then see the list as unmapped bytes.
 */
export function publicSuffixList(): Plugin {
  return {
    name: 'revoke-public-suffix-list',
    resolveId: (id) => (id === ID ? ID : null),
    load(id) {
      if (id !== ID) return null;
      return `export default ${JSON.stringify(encodeList(rulesFromTldts(tldtsTrieSource())))};`;
    },
  };
}
