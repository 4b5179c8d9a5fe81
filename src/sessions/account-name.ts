/**
 * One name for a linked account wherever it is shown (popup, options, results, audit log): the
 * account as the service knows it, then the site ("demo@revoke.test on app.example.com").
 */
import { tIfKnown } from '../i18n/t';
import { connectorKey } from '../i18n/connector-text';
import type { LinkedAccount } from './types';

export type NamedAccount = Pick<LinkedAccount, 'label' | 'origin' | 'lastCheck'> & Partial<Pick<LinkedAccount, 'connectorId' | 'labelIsDefault' | 'knownAs'>>;

/** The label Revoke gives an account the person did not name: the service, and the host where it may be anywhere. */
export const defaultLabel = (service: string, host: string | null): string => (host ? `${service} (${host})` : service);

/** The person's label; the one Revoke gave, in the reader's language (the service's name from _locales). */
export function labelOf(account: NamedAccount): string {
  if (!account.labelIsDefault || !account.connectorId) return account.label;
  const service = tIfKnown(connectorKey(account.connectorId, 'name'));
  if (!service) return account.label;
  const host = new URL(account.origin).host;
  return defaultLabel(service, account.label.includes(host) ? host : null);
}

/** How an account and its site are put together; pages pass one in the person's language. */
export type OnHost = (account: string, host: string) => string;
const english: OnHost = (account, host) => `${account} on ${host}`;

/**
 * `who` is what a fresh look found; without it, the last check's, else whoever a check last found
 * signed in (so a sign-out does not rename the account). When none knows (never signed in here),
 * the person's label stands in for the account.
 */
export function accountName(account: NamedAccount, who?: string | null, on: OnHost = english): string {
  const host = new URL(account.origin).host;
  const known = who ?? (account.lastCheck && 'whoami' in account.lastCheck ? account.lastCheck.whoami?.account : undefined) ?? account.knownAs;
  // A service that cannot tell who is signed in ("Any site") answers with its host: no account name.
  if (known && known !== host) return on(known, host);
  // Default labels name the host already ("Apps built on better-auth (app.example.com)").
  const label = labelOf(account);
  return label.includes(host) ? label : on(label, host);
}
