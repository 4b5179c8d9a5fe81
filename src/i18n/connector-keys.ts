/** The _locales keys of a connector's words (connector_<id>_name, …): connectors carry English, pages say these. */
export const connectorKey = (id: string, part: 'name' | 'label' | 'help' | 'user' | 'signInHelp') => `connector_${id.replace(/-/g, '_')}_${part}`;
