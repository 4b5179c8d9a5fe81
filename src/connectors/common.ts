/**
 * Small pieces more than one connector needs alike. Each connector file keeps only what is
 * particular to its service.
 */
import { say, type Said } from '../i18n/t';
import { ConnectorError, type FailureKind, type LinkedAccountRef } from './types';

/** The id of the session of this browser, for services that do not give it one of their own. */
export const THIS_BROWSER = 'this-browser';

/** The instance's base URL (an app may live under a folder such as /forum), without a trailing slash. */
export function instanceBase(account: LinkedAccountRef): string {
  return (account.instanceUrl ?? account.origin).replace(/\/+$/, '');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A ConnectorError a person reads: its message is said in the browser's language (connectors run
 * in the background, which has it), and `said` lets a page say it again in its own.
 */
export function connectorError(kind: FailureKind, said: Said, detail?: string): ConnectorError {
  return new ConnectorError(kind, say(said), detail, said);
}

/** The failure's own words when it has them as a key, else its message (a connector not yet converted). */
export const failureText = (e: { message: string; said?: Said }): string => (e.said ? say(e.said) : e.message);

/**
 * A request started now to be awaited after another one: both go out at once, and the answer is
 * read in the order asking one after the other would give (who-am-I first, then the list). Its
 * failure waits for that await; it is never an unhandled rejection when the first one decides alone.
 */
export function early<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
