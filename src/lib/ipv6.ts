/**
 * IPv6 addresses in their canonical text form (RFC 5952): no leading zeros, the longest run of two
 * or more zero groups (the first of equal runs) as "::", lower case. Services store them in other
 * forms (better-auth keeps a /64-masked address written out in full), which are hard to read.
 */

/** The eight 16-bit groups of an IPv6 address, or null if `text` is not one. An IPv4 tail counts as two groups. */
function groups(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string, last: boolean): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (last && i === pieces.length - 1 && piece.includes('.')) {
        const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(piece);
        const bytes = v4?.slice(1).map(Number);
        if (!bytes || bytes.some((b) => b > 255)) return null;
        out.push((bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) out.push(parseInt(piece, 16));
      else return null;
    }
    return out;
  };
  const head = parse(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? parse(halves[1]!, true) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : null;
}

/**
 * `text` compressed per RFC 5952 if it is an IPv6 address (a zone such as "%eth0" is kept);
 * anything else (IPv4, a host name, garbage) comes back unchanged.
 */
export function compressIpv6(text: string): string {
  const [address = '', ...zone] = text.trim().split('%');
  const g = address.includes(':') ? groups(address) : null;
  if (!g) return text;
  // The longest run of at least two zero groups; the first one wins a tie.
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = (part: number[]) => part.map((n) => n.toString(16)).join(':');
  // An IPv4-mapped address keeps its dotted tail (RFC 5952 section 5).
  const mapped = g.slice(0, 5).every((n) => n === 0) && g[5] === 0xffff;
  const body = mapped
    ? `::ffff:${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`
    : best.start < 0
      ? hex(g)
      : `${hex(g.slice(0, best.start))}::${hex(g.slice(best.start + best.length))}`;
  return zone.length ? `${body}%${zone.join('%')}` : body;
}

/**
 * An address as the person reads it: IPv6 compressed, and shown as its /64 network when its
 * interface half is all zeros. A host is never given that address in practice; it is what a
 * service that keeps only the network stores (better-auth masks IPv6 to /64 by default), and
 * "2001:db8::" alone reads as someone else's address. Anything else comes back as compressIpv6 gives it.
 */
export function displayIp(text: string): string {
  const g = text.includes(':') && !text.includes('%') && !text.includes('/') ? groups(text.trim()) : null;
  const compressed = compressIpv6(text);
  return g && g.slice(4).every((n) => n === 0) && g.slice(0, 4).some((n) => n !== 0) ? `${compressed}/64` : compressed;
}
