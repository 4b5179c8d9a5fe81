// @vitest-environment happy-dom
/** An import where every line was left out reads as a failure with its reasons, not as an empty preview. */
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportPreview } from '../../src/options/ImportPreview';
import { importText } from '../../src/vault/import';

let root: HTMLElement | undefined;
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
});

async function preview(text: string) {
  const result = await importText(text);
  root = document.createElement('div');
  document.body.append(root);
  render(
    <ImportPreview result={result} from="the pasted text" duplicates={result.entries.map(() => null)} existing={[]}
      selected={result.entries.map(() => true)} onSelect={() => undefined} onImport={() => undefined} onCancel={() => undefined} busy={false} />,
    root,
  );
  return root;
}

describe('ImportPreview', () => {
  it('says nothing could be read, as an error, when every line was left out', async () => {
    const view = await preview('otpauth://totp/Bank:me?secret=!!!\notpauth://totp/Shop?secret=JBSWY3DPEHPK3PXP&digits=99');
    const alert = view.querySelector('[role=alert]');
    expect(alert?.className).toBe('error');
    expect(alert?.textContent).toMatch(/No code could be read from the pasted text .*all 2 entries were left\s+out/);
    expect(view.textContent).not.toContain('Found 0 codes');
    expect([...view.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Back']);
    expect(view.querySelectorAll('.problems li')).toHaveLength(2);
  });

  it('keeps the normal preview when some lines were read', async () => {
    const view = await preview('otpauth://totp/Bank:me?secret=JBSWY3DPEHPK3PXP\notpauth://totp/Bad?secret=!!!');
    expect(view.querySelector('[role=alert]')).toBeNull();
    expect(view.textContent).toContain('Found 1 code in the pasted text');
  });
});
