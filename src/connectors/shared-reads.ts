/**
 * One look's reads, each asked once. Connectors read the same page for who-am-I and for the list
 * (GitHub's, Nextcloud's, Mastodon's and WordPress's session pages; better-auth's get-session and
 * Discourse's current.json, which their lists ask again to find this browser's session or the
 * user). A look runs both calls at once (src/sessions/looking.ts), so without this every such
 * account pays a request, and a round trip, twice.
 *
 * Only plain reads are shared: GET without a body, the same address, headers, redirect mode and
 * time limit. The response is the same object (its body is read once: see wrapResponse in
 * context.ts, whose text() is kept). A read that failed is not kept, so asking again asks again.
 * The scope is one look, made by the engine for that look: a check after a sign-out is a new look
 * and sees the service as it is then.
 */
import type { ConnectorContext, FetchInit, HttpResponse } from './types';

function readKey(url: string, init: FetchInit | undefined): string | null {
  const method = (init?.method ?? 'GET').toUpperCase();
  if (method !== 'GET' || init?.json !== undefined || init?.form !== undefined) return null;
  const headers = Object.entries(init?.headers ?? {})
    .map(([k, v]) => [k.toLowerCase(), v])
    .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  return JSON.stringify([url, init?.redirect ?? 'follow', init?.timeoutMs ?? null, headers]);
}

/** `ctx` whose identical plain reads, asked at once or one after the other, go out once. */
export function withSharedReads(ctx: ConnectorContext): ConnectorContext {
  const reads = new Map<string, Promise<HttpResponse>>();
  const fetch = (url: string, init?: FetchInit): Promise<HttpResponse> => {
    const key = readKey(url, init);
    if (key === null) return ctx.fetch(url, init);
    let read = reads.get(key);
    if (!read) {
      read = ctx.fetch(url, init);
      reads.set(key, read);
      read.catch(() => reads.delete(key));
    }
    return read;
  };
  return { ...ctx, fetch };
}
