import browser from '../lib/browser';

export type OptionsSection = 'accounts' | 'authenticator' | 'import' | 'watch' | 'panic' | 'audit' | 'security';

/** Opens the options page on one section, in a new tab (openOptionsPage cannot take a section). */
export function openOptions(section: OptionsSection): void {
  void browser.tabs.create({ url: browser.runtime.getURL(`options.html#${section}`) });
}
