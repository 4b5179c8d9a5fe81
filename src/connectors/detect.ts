/**
 * "Link <service> at <host>" from the current tab: which connector serves the page the popup was
 * opened on. A hosted service is known by its fixed origins alone; a self-hosted one by the markers
 * its connector declares (`detect`), read from the page in one go. Nothing is read for a tab whose
 * origin is linked already, and nothing is requested for a page that matches no marker: a
 * connector's probe (one more document of the same origin) runs only from its own `match`, which
 * asks only when its markers already point at its service.
 */
import type { HtmlQuery } from '../lib/html-select';
import type { PageMarkerValues } from '../lib/page-markers';
import { normaliseInstanceUrl } from '../sessions/accounts';
import type { Connector, DetectPage, ProbeAnswer } from './types';

/** The page in the current tab, as the background reaches it (src/background/tab-page.ts). */
export interface TabPage {
  /** The tab's address, as the browser reports it. */
  url: string;
  /** Every connector's markers at once (src/lib/page-markers.ts); null when the page cannot be read. */
  read(queries: Record<string, HtmlQuery>): Promise<PageMarkerValues | null>;
  /** One same-origin GET without cookies; null when it failed. */
  probe(path: string): Promise<ProbeAnswer | null>;
}

export interface DetectedSite {
  connectorId: string;
  /** The service's name, as the connector gives it. */
  service: string;
  /** What to link: the connector's instance URL, or the hosted origin. */
  instanceUrl: string;
  origin: string;
}

/** Follow-up questions one detection may send, whatever the connectors ask. */
const MAX_PROBES = 2;

export async function detectSite(tab: TabPage, connectors: readonly Connector[], linkedOrigins: readonly string[]): Promise<DetectedSite | null> {
  let url: URL;
  try {
    url = new URL(tab.url);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (linkedOrigins.includes(url.origin)) return null;

  const hosted = connectors.find((c) => c.meta.origins.includes(url.origin));
  if (hosted) return offer(hosted, url.origin, url);

  const detecting = connectors.filter((c) => c.detect);
  if (detecting.length === 0) return null;
  const page = await tab.read(Object.fromEntries(detecting.map((c) => [c.meta.id, c.detect!.markers]))).catch(() => null);
  // The tab may have moved on between the question and the reading.
  if (!page || page.origin !== url.origin) return null;

  let probes = 0;
  const probe = async (path: string): Promise<ProbeAnswer | null> => {
    if (!path.startsWith('/') || path.startsWith('//') || probes >= MAX_PROBES) return null;
    probes += 1;
    return tab.probe(path).catch(() => null);
  };
  for (const c of detecting) {
    const values = valuesFor(c.detect!.markers, page.values[c.meta.id]);
    let found: string | null;
    try {
      found = await c.detect!.match({ url, values }, probe);
    } catch {
      continue; // a connector's mistake on a strange page is no match
    }
    const site = found === null ? null : offer(c, found, url);
    if (site) return site;
  }
  return null;
}

/** Every name the connector asked for, as a list of strings, whatever came back from the page. */
function valuesFor(markers: HtmlQuery, got: Record<string, string[]> | undefined): DetectPage['values'] {
  return Object.fromEntries(Object.keys(markers).map((name) => {
    const list = got?.[name];
    return [name, Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : []];
  }));
}

/** The offer, if the address is one linking accepts and it is on the tab's own origin. */
function offer(c: Connector, address: string, tab: URL): DetectedSite | null {
  try {
    const { instanceUrl, origin } = normaliseInstanceUrl(address);
    if (origin !== tab.origin) return null;
    return { connectorId: c.meta.id, service: c.meta.name, instanceUrl, origin };
  } catch {
    return null;
  }
}
