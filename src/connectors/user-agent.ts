/**
 * A small user-agent reader for session lists: enough to tell "Chrome on Windows" from "Safari on
 * an iPhone". Not a full parser: unknown strings give empty fields, and the raw string stays
 * available to the person in the session's details.
 */

export interface UserAgentInfo {
  browser?: string;
  os?: string;
  device?: string;
}

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/\b(?:Edg|Edge|EdgA|EdgiOS)\/(\d+)/, 'Edge'],
  [/\b(?:OPR|OPiOS)\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\bHeadlessChrome\/(\d+)/, 'Headless Chrome'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/\b(?:Chrome|CriOS|Chromium)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)(?:[.\d]*)?(?: Mobile\/\w+)? Safari\//, 'Safari'],
  [/\bcurl\/(\d+)/, 'curl'],
  [/\b(?:python-requests|python-urllib|aiohttp)\/(\d+)/i, 'Python'],
  [/^node(?:-fetch)?(?:\/(\d+))?$|\bundici\b/, 'Node.js'],
];

const BOT = /bot\b|crawler|spider|slurp|facebookexternalhit|headless/i;
/** "Googlebot/2.1" -> "Googlebot". */
const BOT_NAME = /\b([A-Za-z]+bot)\b/i;

function readBrowser(ua: string): string | undefined {
  for (const [pattern, name] of BROWSERS) {
    const m = pattern.exec(ua);
    if (m) return m[1] ? `${name} ${m[1]}` : name;
  }
  return undefined;
}

function readOs(ua: string): string | undefined {
  // iOS before macOS: iPhone user agents say "like Mac OS X".
  if (/\b(?:iPhone|iPad|iPod)\b/.test(ua)) return 'iOS';
  if (/\bWindows (?:NT|Phone)\b|\bWin64\b/.test(ua)) return 'Windows';
  if (/\bAndroid\b/.test(ua)) return 'Android';
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS';
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return 'macOS';
  if (/\bLinux\b|\bX11\b/.test(ua)) return 'Linux';
  return undefined;
}

function readDevice(ua: string, os: string | undefined): string | undefined {
  if (BOT.test(ua)) return 'Bot';
  if (/\biPad\b|\bTablet\b/.test(ua) || (os === 'Android' && !/\bMobile\b/.test(ua))) return 'Tablet';
  if (/\b(?:iPhone|iPod)\b|\bMobile\b/.test(ua)) return 'Phone';
  if (os) return 'Computer';
  return undefined;
}

export function parseUserAgent(ua: string | null | undefined): UserAgentInfo {
  const text = (ua ?? '').trim();
  if (!text) return {};
  const os = readOs(text);
  const info: UserAgentInfo = {};
  const browser = BOT_NAME.exec(text)?.[1] ?? readBrowser(text) ?? (BOT.test(text) ? 'Bot' : undefined);
  const device = readDevice(text, os);
  if (browser) info.browser = browser;
  if (os) info.os = os;
  if (device) info.device = device;
  return info;
}
