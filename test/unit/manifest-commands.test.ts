import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };

/**
 * The shortcut rules both browsers enforce (Chrome's commands docs, MDN's commands key):
 * one or two modifiers then one key; at least one of Ctrl/Alt (mac: Command/MacCtrl/Alt);
 * Ctrl+Alt is refused by Chrome (it is AltGr on many keyboards).
 */
const KEYS = /^([A-Z0-9]|Comma|Period|Home|End|PageUp|PageDown|Space|Insert|Delete|Up|Down|Left|Right|F([1-9]|1[0-2]))$/;
function problem(shortcut: string, platform: string): string | null {
  const parts = shortcut.split('+');
  const key = parts.pop()!;
  const modifiers = new Set(parts);
  const primary = platform === 'mac' ? ['Command', 'MacCtrl', 'Alt', 'Ctrl'] : ['Ctrl', 'Alt'];
  if (!KEYS.test(key)) return `key "${key}"`;
  if (parts.length < 1 || parts.length > 2 || modifiers.size !== parts.length) return 'one or two distinct modifiers';
  if (![...modifiers].every((m) => [...primary, 'Shift'].includes(m))) return `modifier not for ${platform}`;
  if (!primary.some((m) => modifiers.has(m))) return 'needs Ctrl or Alt';
  if (modifiers.has('Ctrl') && modifiers.has('Alt')) return 'Ctrl+Alt';
  return null;
}

/** Taken by macOS or the browser on a Mac: Command+Shift+Q logs out, Command+Shift+R reloads. */
const MAC_TAKEN = ['Command+Shift+Q', 'Command+Q', 'Command+Shift+R', 'Command+R', 'Command+W', 'Command+Shift+W'];

const all = Object.entries(manifest.commands) as [string, { suggested_key?: Record<string, string> }][];
/** Panic clears every site: it has no key until the person sets one (README, "Keyboard shortcuts"). */
const UNASSIGNED = ['panic'];
const commands = all.filter(([name]) => !UNASSIGNED.includes(name)) as [string, { suggested_key: Record<string, string> }][];

describe('manifest commands', () => {
  it('suggest valid keys for other systems and for the Mac', () => {
    for (const [name, c] of commands) {
      expect(Object.keys(c.suggested_key).sort(), name).toEqual(['default', 'mac']);
      for (const [platform, key] of Object.entries(c.suggested_key)) expect(problem(key, platform), `${name} ${platform}: ${key}`).toBeNull();
    }
  });

  it('avoid keys the Mac or the browser already use, and never share a key', () => {
    for (const platform of ['default', 'mac']) {
      const keys = commands.map(([, c]) => c.suggested_key[platform]!);
      expect(new Set(keys).size).toBe(keys.length);
    }
    for (const [, c] of commands) expect(MAC_TAKEN).not.toContain(c.suggested_key.mac);
  });

  it('leave panic unassigned, with a description the shortcut settings show', () => {
    const panic = all.find(([name]) => name === 'panic')?.[1] as { suggested_key?: unknown; description?: string } | undefined;
    expect(panic).toBeDefined();
    expect(panic!.suggested_key).toBeUndefined();
    expect(panic!.description).toBe('__MSG_panic_command__');
    expect(commands.length).toBe(all.length - 1);
  });

  it('catches what the browsers refuse', () => {
    expect(problem('Shift+Q', 'default')).toBe('needs Ctrl or Alt');
    expect(problem('Ctrl+Alt+Q', 'default')).toBe('Ctrl+Alt');
    expect(problem('MacCtrl+Shift+Q', 'default')).toMatch(/not for default/);
    expect(problem('Alt+Shift+Tab', 'default')).toMatch(/key/);
  });
});
