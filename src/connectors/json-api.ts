/**
 * What connectors of JSON APIs (Keycloak, Ory Kratos, authentik) need alike: an answer read as
 * JSON whatever its status, and the failures that say "this is not the service's API any more"
 * (never read as "no sessions") or "the service had a problem".
 */
import { excerpt } from './context';
import { ConnectorError, type HttpResponse } from './types';
import { connectorError, isRecord } from './common';

/** Who answered, for messages: the service's name and the host the person knows. */
export interface Service {
  name: string;
  host: string;
}

export interface JsonAnswer {
  status: number;
  /** The parsed body; undefined when it was not JSON (an HTML page, an empty 204). */
  body: unknown;
  /** For the details view: status, the path asked (ids cut off), a short excerpt. Never a token. */
  detail: string;
  headers: HttpResponse['headers'];
}

export function pageChanged(service: Service, detail: string): ConnectorError {
  return connectorError('page-changed', { key: 'words_notAsService', subs: [service.host, service.name] }, detail);
}

export function serverTrouble(service: Service, status: number, detail: string): ConnectorError {
  return connectorError('server', { key: 'connErr_serverAt', subs: [service.name, service.host, String(status)] }, detail);
}

/** Reads the body as JSON when it is JSON; a 5xx is 'server' whatever its body. */
export async function readJson(service: Service, res: HttpResponse, path: string): Promise<JsonAnswer> {
  const text = await res.text();
  const detail = `HTTP ${res.status} ${path}${text ? `: ${excerpt(text)}` : ''}`;
  if (res.status >= 500) throw serverTrouble(service, res.status, detail);
  let body: unknown;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) {
    try {
      body = JSON.parse(text);
    } catch {
      throw pageChanged(service, detail);
    }
  }
  return { status: res.status, body, detail, headers: res.headers };
}

/** The body as an object, or page-changed. */
export function objectOf(service: Service, answer: JsonAnswer): Record<string, unknown> {
  if (!isRecord(answer.body)) throw pageChanged(service, answer.detail);
  return answer.body;
}

/** The body as a list, or page-changed (an object or a page where a list belongs is never "none"). */
export function listOf(service: Service, answer: JsonAnswer): unknown[] {
  if (!Array.isArray(answer.body)) throw pageChanged(service, answer.detail);
  return answer.body;
}

/** A string field, or undefined for absent/empty; other types are page-changed. */
export function optionalString(service: Service, record: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = record[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw pageChanged(service, `${where}.${key} is not text`);
  return v;
}

/** A date-time text field as ms since the epoch, or undefined when absent or not a date; other types are page-changed. */
export function optionalTime(service: Service, record: Record<string, unknown>, key: string, where: string): number | undefined {
  const v = optionalString(service, record, key, where);
  const ms = v === undefined ? NaN : Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}
