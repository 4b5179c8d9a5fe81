/**
 * "Signs in through": apps the person signs in to with a linked identity provider (single sign-on).
 * Ending the provider's session does not end the apps' own sessions (each app keeps its cookie until
 * it expires, unless it takes part in the provider's back-channel logout, which Revoke cannot see),
 * so after a provider sign-out Revoke offers to sign those apps out too, through the engine's own
 * sign-out of each. The person marks the link when linking the app; it is stored with the app's
 * account as a setting (the provider account's id), so it needs no schema of its own.
 */
import type { Capabilities } from '../connectors/types';
import type { AccountResult, LinkedAccount } from './types';

/** The app account's setting that names the provider account it signs in through. */
export const SIGNS_IN_THROUGH = 'signsInThrough';

/** Connectors whose accounts are identity providers that apps sign in through. */
const PROVIDER_CONNECTORS: ReadonlySet<string> = new Set(['oidc']);

export function isProvider(account: Pick<LinkedAccount, 'connectorId'>): boolean {
  return PROVIDER_CONNECTORS.has(account.connectorId);
}

/** The linked accounts an app may be marked as signing in through. */
export function providerChoices<A extends Pick<LinkedAccount, 'connectorId'>>(accounts: readonly A[]): A[] {
  return accounts.filter(isProvider);
}

/**
 * Checks the setting a link asks to store: absent or empty is fine; otherwise it must name a
 * linked provider account (and an app cannot sign in through itself, nor a provider through one).
 * Returns why not, or null.
 */
export function signsInThroughProblem(connectorId: string, value: string | undefined, linked: readonly LinkedAccount[]): string | null {
  if (value === undefined || value === '') return null;
  if (PROVIDER_CONNECTORS.has(connectorId)) return 'An identity provider does not sign in through another one here.';
  const provider = linked.find((a) => a.id === value);
  if (!provider || !isProvider(provider)) return 'The provider this app signs in through is not linked (any more).';
  return null;
}

/** The linked apps marked as signing in through `providerId`, in the order given. */
export function appsSigningInThrough<A extends Pick<LinkedAccount, 'id' | 'settings'>>(accounts: readonly A[], providerId: string): A[] {
  return accounts.filter((a) => a.id !== providerId && a.settings[SIGNS_IN_THROUGH] === providerId);
}

/** What an app's view says, as far as the offer needs it. */
export interface AppView<A> {
  account: A;
  connector: { can: Capabilities };
  result?: AccountResult;
}

export interface AppToSignOut<A> {
  account: A;
  /** This browser's session there: its row where the app lists it, else the sign-out of the site where that ends this browser only. */
  target: { id: string } | 'all';
}

/**
 * How to end this browser's session at an app and nothing more: its own row where the last look
 * listed it and the app ends sessions one by one; else "sign out of site" where the app cannot end
 * other devices (so that is this browser only). Null where neither is known: Revoke would end the
 * app's other devices too, which signing out of the provider does not ask for.
 */
export function thisBrowserTarget(view: AppView<unknown>): AppToSignOut<unknown>['target'] | null {
  const { can } = view.connector;
  const current = view.result?.state === 'ok' ? view.result.sessions?.find((s) => s.current) : undefined;
  if (current && can.revokeOne) return { id: current.id };
  if (!can.revokeOthers && (can.revokeAll || can.localSignOut)) return 'all';
  return null;
}

/**
 * After a sign-out at `providerId` that did not fail: the apps to offer signing out too, with how.
 * An app its last look found signed out has nothing to end and is left out; one not known either
 * way is offered where its target does not depend on the look (the engine checks who is signed in
 * before it sends anything).
 */
export function appsToOffer<A extends Pick<LinkedAccount, 'id' | 'settings'>>(
  views: readonly AppView<A>[],
  providerId: string,
  providerOutcome: 'confirmed' | 'not-confirmed' | 'failed',
): AppToSignOut<A>[] {
  if (providerOutcome === 'failed') return [];
  const apps = new Set(appsSigningInThrough(views.map((v) => v.account), providerId));
  return views.flatMap((v) => {
    if (!apps.has(v.account) || v.result?.state === 'signed-out') return [];
    const target = thisBrowserTarget(v);
    return target ? [{ account: v.account, target }] : [];
  });
}
