/**
 * The two functions Revoke runs inside the current tab's page (scripting.executeScript, with the
 * temporary access that opening the popup gives). executeScript sends a function's source, not its
 * closure: each must be self-contained (no imports, no module-level names) and return plain data.
 * The page is untrusted, so both cap what they hand back.
 */

/** Per connector, each name's values, as html-select gives them; plus where the page is. */
export interface PageMarkerValues {
  /** The document's own origin: the background checks it is still the tab it asked about. */
  origin: string;
  values: Record<string, Record<string, string[]>>;
}

/**
 * Reads each connector's named selectors ('css' for text, 'css@attr' for an attribute) out of the
 * live document: at most 8 values per name, each cut to 512 characters. A selector the browser
 * refuses gives no values. Requests nothing. (`doc` is for tests: injected, it is the page's own.)
 */
export function readPageMarkers(queries: Record<string, Record<string, string>>, doc: Document = document): PageMarkerValues {
  const MAX_VALUES = 8;
  const MAX_LENGTH = 512;
  const values: Record<string, Record<string, string[]>> = {};
  for (const [id, query] of Object.entries(queries)) {
    const own: Record<string, string[]> = {};
    for (const [name, spec] of Object.entries(query)) {
      const at = spec.lastIndexOf('@');
      const selector = at < 0 ? spec : spec.slice(0, at);
      const attribute = at < 0 ? null : spec.slice(at + 1);
      const found: string[] = [];
      try {
        for (const el of Array.from(doc.querySelectorAll(selector)).slice(0, MAX_VALUES)) {
          const value = attribute === null ? el.textContent : el.getAttribute(attribute);
          if (value !== null) found.push(value.slice(0, MAX_LENGTH));
        }
      } catch {
        // An invalid selector: nothing found.
      }
      own[name] = found;
    }
    values[id] = own;
  }
  return { origin: location.origin, values };
}

/**
 * One GET of a path on the page's own origin, without cookies and without following redirects
 * elsewhere, read no further than 16 KB, given up after 3 s. Null when it failed.
 */
export async function probePage(path: string): Promise<{ status: number; contentType: string; body: string } | null> {
  const MAX_BODY = 16_384;
  const url = new URL(path, location.origin);
  if (url.origin !== location.origin) return null;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 3000);
  try {
    const res = await fetch(url.href, { credentials: 'omit', redirect: 'error', signal: abort.signal, headers: { accept: 'application/json, text/plain;q=0.5' } });
    // Read no further than the cap: the page's origin decides how much it sends.
    let body = '';
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    while (reader && body.length < MAX_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      body += decoder.decode(value, { stream: true });
    }
    void reader?.cancel().catch(() => undefined);
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: body.slice(0, MAX_BODY) };
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
