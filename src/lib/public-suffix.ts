/**
 * "Is this host itself a public suffix?" (`com`, `co.uk`, `github.io`), by the public-suffix
 * list's algorithm as tldts applies it (ICANN and private sections alike): the longest matching
 * rule wins, `*` matches any one label, an exception rule (`!www.ck`) wins over both and gives
 * up its left-most label; a host no rule matches is no listed suffix.
 * The list is built from tldts's data (scripts/public-suffix-list.ts), parsed on first use.
 * Hosts are expected as the URL parser gives them: lower case, punycode, no trailing dot.
 */
import encoded from 'virtual:public-suffix-list';

interface Node {
  rule: boolean;
  kids: Map<string, Node> | null;
}

/** Parses one section of the encoded trie (see scripts/public-suffix-list.ts). */
export function parseTrie(text: string): Map<string, Node> {
  let i = 0;
  const level = (): Map<string, Node> => {
    const nodes = new Map<string, Node>();
    for (;;) {
      const rule = text[i] !== '?';
      if (!rule) i++;
      const from = i;
      while (i < text.length && !'(),'.includes(text[i]!)) i++;
      const label = text.slice(from, i);
      let kids: Map<string, Node> | null = null;
      if (text[i] === '(') {
        i++;
        kids = level();
        i++; // ')'
      }
      nodes.set(label, { rule, kids });
      if (text[i] !== ',') return nodes;
      i++;
    }
  };
  return text ? level() : new Map();
}

let tries: { rules: Map<string, Node>; exceptions: Map<string, Node> } | null = null;

function listTries() {
  if (!tries) {
    const [rules = '', exceptions = ''] = encoded.split('|');
    tries = { rules: parseTrie(rules), exceptions: parseTrie(exceptions) };
  }
  return tries;
}

/** How many labels (from the right) of the deepest rule on the host's path, or 0: exact label first, else `*`. */
function deepestRule(root: Map<string, Node>, labels: string[]): number {
  let level: Map<string, Node> | null = root;
  let matched = 0;
  for (let n = 1; n <= labels.length && level; n++) {
    const label = labels[labels.length - n]!;
    const node: Node | undefined = level.get(label) ?? (label ? level.get('*') : undefined);
    if (!node) break;
    if (node.rule) matched = n;
    level = node.kids;
  }
  return matched;
}

/** The host's public suffix if a listed rule gives one, else null (the PSL's implicit `*` rule does not count). */
export function listedPublicSuffix(host: string): string | null {
  const { rules, exceptions } = listTries();
  const labels = host.split('.');
  const exception = deepestRule(exceptions, labels);
  if (exception) return labels.slice(labels.length - exception + 1).join('.');
  const rule = deepestRule(rules, labels);
  return rule ? labels.slice(labels.length - rule).join('.') : null;
}

export function isPublicSuffix(host: string): boolean {
  return listedPublicSuffix(host) === host;
}

/**
 * The site a host belongs to, as cookies and people see it: its registrable domain (the public
 * suffix, listed or the implicit last label, and one label more), or the host itself where there
 * is none (an IP address, a bare `localhost`, a host that is itself a suffix). Takes a host or a
 * cookie's domain (a leading dot is dropped). IP hosts have no suffix: 127.0.0.1 is its own site.
 */
export function siteOfHost(host: string): string {
  const h = host.replace(/^\./, '').toLowerCase();
  if (h.startsWith('[') || h.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(h)) return h;
  const labels = h.split('.');
  const suffix = listedPublicSuffix(h) ?? labels[labels.length - 1]!;
  if (suffix === h) return h;
  return labels.slice(-(suffix.split('.').length + 1)).join('.');
}
