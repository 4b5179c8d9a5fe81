// this runs under the 'unit' project
// The hosted services' connectors (GitHub, Google, Microsoft) through the one harness, each against
// its loopback stand-in: the account's origin is the stand-in's, as a linked account's is the
// service's fixed origin, so the connector code runs unchanged.
import { githubConnector } from '../../src/connectors/github';
import { googleConnector } from '../../src/connectors/google';
import { microsoftConnector, microsoftWorkConnector } from '../../src/connectors/microsoft';
import { describeConnectorCases } from '../connectors/harness';

describeConnectorCases([githubConnector, googleConnector, microsoftConnector, microsoftWorkConnector]);
