/**
 * What the connector harness needs of a loopback server, whatever service it stands in for: its
 * own truth (the sessions it holds, which one is this browser's), the steps a case can ask of it,
 * and the strings that must never reach the UI.
 */
import type { RawFetch } from '../../../src/connectors/context';
import type { CookieJar } from '../cookie-jar';

/** One test browser profile: its cookie jar and the fetch bound to it. */
export interface Browser {
  jar: CookieJar;
  fetch: RawFetch;
  /** The extension's in-memory token store (storage.session), by account id: Revoke's own sign-ins. */
  tokens: Map<string, string>;
}

/** What the server itself says is live: its session ids, and which one is this browser's. */
export interface ServerSessions {
  ids: string[];
  current: string | null;
}

export interface CaseServer {
  origin: string;
  /** What a person would type as the instance URL for a connector that asks for one. */
  instanceUrl: string;
  /** Runs a `{do: 'server'}` step (see each adapter for its actions). */
  act(action: string, args: Record<string, unknown>, browser: Browser): Promise<void>;
  liveSessions(browser: Browser): Promise<ServerSessions>;
  /** Strings that must never appear in anything a connector returns or reports. */
  secrets(browser: Browser): string[];
  /** The case user's sign-in, for connectors that sign Revoke in (`do: 'sign-in'`). */
  credentials?: { user: string; password: string };
  /** Forgets everything, for the next case. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export type ServerStarter = () => Promise<CaseServer>;

export function stringArg(args: Record<string, unknown>, name: string, fallback?: string): string {
  const v = args[name] ?? fallback;
  if (typeof v !== 'string') throw new Error(`server step: "${name}" must be a string`);
  return v;
}

export function unknownAction(server: string, action: string): never {
  throw new Error(`server "${server}" has no action "${action}"`);
}
