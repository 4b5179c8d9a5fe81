/**
 * Every connector Revoke ships, in the order the UI offers them (dedicated ones first, "Any site"
 * last). The UI lists `meta` without calling connector code; ids are stored with linked accounts.
 */
import { betterAuthConnector } from './better-auth';
import { discourseConnector } from './discourse';
import { genericConnector } from './generic';
import { gitlabConnector } from './gitlab';
import { mastodonConnector } from './mastodon';
import { matrixConnector } from './matrix';
import { nextcloudConnector } from './nextcloud';
import { oidcConnector } from './oidc';
import type { Connector, ConnectorMeta } from './types';
import { wordpressConnector } from './wordpress';

export const connectors: Connector[] = [betterAuthConnector, discourseConnector, nextcloudConnector, mastodonConnector, gitlabConnector, matrixConnector, wordpressConnector, oidcConnector, genericConnector];

export const connectorMetas: ConnectorMeta[] = connectors.map((c) => c.meta);

export function connectorById(id: string): Connector | undefined {
  return connectors.find((c) => c.meta.id === id);
}
