/**
 * The only place that imports the WebExtension API. Domain modules never
 * import this: entry points pass what they need into them.
 */
import browser from 'webextension-polyfill';

export type Browser = typeof browser;
export default browser;
