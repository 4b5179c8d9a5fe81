/**
 * Outcomes of sign-outs and the time limit on each call to a service: how the engine turns what
 * happened (or what was thrown) into a RevokeOutcome a person can read.
 */
import { ConnectorError, type FailureKind } from '../connectors/types';
import { say, type Said } from '../i18n/t';
import { connectorError } from '../connectors/common';
import { MAX_TEXT_CHARS } from './checks';
import type { RevokeOutcome } from './types';

// ---- Outcomes ----------------------------------------------------------------------------

export const confirmed = (seen: string): RevokeOutcome => ({ status: 'confirmed', seen });
export const notConfirmed = (seen: string): RevokeOutcome => ({ status: 'not-confirmed', seen });
export const failed = (kind: FailureKind, message: string, detail?: string, said?: Said): RevokeOutcome => ({
  status: 'failed', kind, message, ...(detail !== undefined && { detail }), ...(said !== undefined && { said }),
});

/** What the views need to say a failure: kind, words, and the words as a key when the connector gave one. */
export interface Failure {
  kind: FailureKind;
  message: string;
  detail?: string;
  said?: Said;
}

/** Why a call failed, as kind + words. Anything but a ConnectorError is a connector meeting what it did not expect. */
export function failure(e: unknown, fallback: FailureKind = 'page-changed'): Failure {
  if (e instanceof ConnectorError) {
    return { kind: e.kind, message: e.message, ...(e.detail !== undefined && { detail: e.detail }), ...(e.said !== undefined && { said: e.said }) };
  }
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const said: Said = { key: 'connErr_unexpected' };
  return { kind: fallback, message: say(said), detail: text.slice(0, MAX_TEXT_CHARS), said };
}

export const failedFrom = (e: unknown, fallback?: FailureKind): RevokeOutcome => {
  const f = failure(e, fallback);
  return failed(f.kind, f.message, f.detail, f.said);
};

export const messageOf = (e: unknown) => failure(e).message;

// ---- Time limits -------------------------------------------------------------------------

/**
 * Settles with `task`, or rejects with 'timeout' after `ms` and aborts `controller`, even if
 * the task never settles (its late result is ignored).
 */
export function withTimeout<T>(ms: number, controller: AbortController, task: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = connectorError('timeout', { key: 'connErr_serviceTimeout', subs: [Math.round(ms / 100) / 10] });
      controller.abort(error);
      reject(error);
    }, ms);
    Promise.resolve()
      .then(task)
      .then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
  });
}

/** Runs a connector call, bounded by the engine's timeout or by `ms` when given (a connector's longer `revokeTimeoutMs`). */
export type Call = <T>(task: () => Promise<T>, ms?: number) => Promise<T>;
export const direct: Call = (task) => task();

/**
 * "Sign out of the site" where the site could not be asked to end its session: this browser's clear
 * is all that happened, so the outcome is never more than not-confirmed and says what may live on.
 * `caveat` says so, and why the site was not asked (where Revoke looked for its sign-out).
 */
export function onlyHere(local: RevokeOutcome, caveat: string): RevokeOutcome {
  if (local.status === 'failed') return local;
  return { ...local, status: 'not-confirmed', seen: `${local.seen} ${caveat}` };
}

/** A connector's own proof of a sign-out (SignOutProof), checked; null when it gave none. */
export function proofOutcome(value: unknown): { outcome: RevokeOutcome; learned?: Record<string, string> } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { oldLoginRefused, seen, learned } = value as Record<string, unknown>;
  if (typeof seen !== 'string' || (oldLoginRefused !== true && oldLoginRefused !== false && oldLoginRefused !== null)) return null;
  const text = seen.slice(0, MAX_TEXT_CHARS);
  const outcome = oldLoginRefused === true ? confirmed(text) : notConfirmed(text);
  const checked = typeof learned === 'object' && learned !== null && Object.values(learned).every((v) => typeof v === 'string' && v.length <= MAX_TEXT_CHARS)
    ? (learned as Record<string, string>)
    : undefined;
  return checked ? { outcome, learned: checked } : { outcome };
}
