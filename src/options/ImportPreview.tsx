/** The review step of an import: what was found, what repeats, what was left out. Nothing is stored here. */
import type { Duplicate, ImportResult } from '../vault/import';
import type { OtpEntry } from '../vault/types';
import { entryTitle } from '../ui/entry-view';
import { Untrusted } from '../ui/Untrusted';
import { visibleText } from '../ui/untrusted-text';

const TYPE_LABEL = { totp: 'TOTP', hotp: 'HOTP', steam: 'Steam' } as const;

export const codes = (n: number) => `${n} ${n === 1 ? 'code' : 'codes'}`;

/** Why a row is a duplicate, in words; the names come from the vault or the file and are rendered as text. */
function duplicateText(d: Duplicate, result: ImportResult, existing: readonly OtpEntry[]): string {
  if (d.of === 'existing') {
    const e = existing.find((x) => x.id === d.entryId);
    const name = e ? entryTitle(e) : 'an entry';
    return d.match === 'exact' ? 'already in Revoke' : `same secret as ${name} in Revoke`;
  }
  const first = result.entries[d.index];
  const name = first ? entryTitle(first.input) : 'an earlier entry';
  return d.match === 'exact' ? `repeats ${name} in this file` : `same secret as ${name} in this file`;
}

export function ImportPreview({ result, from, duplicates, existing, selected, onSelect, onImport, onCancel, busy }: {
  result: ImportResult;
  /** Where the entries came from ("aegis.json", "the pasted text"). */
  from: string;
  duplicates: readonly (Duplicate | null)[];
  existing: readonly OtpEntry[];
  selected: readonly boolean[];
  onSelect: (selected: boolean[]) => void;
  onImport: () => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const count = selected.filter(Boolean).length;
  const dupCount = duplicates.filter(Boolean).length;
  const toggle = (i: number, on: boolean) => onSelect(selected.map((s, j) => (j === i ? on : s)));
  // Every line left out is a failed import, not a preview with nothing in it.
  const nothingUsable = result.entries.length === 0 && result.problems.length > 0;
  return (
    <div class="stack" aria-label="Import preview" role="group">
      {nothingUsable ? (
        <p class="error" role="alert">
          No code could be read from {from} ({result.format}): {result.problems.length === 1 ? 'its only entry was' : `all ${result.problems.length} entries were`} left
          out. The reasons are below; nothing was imported.
        </p>
      ) : (
        <p>
          Found <strong>{codes(result.entries.length)}</strong> in {from} ({result.format})
          {dupCount > 0 && <>; {dupCount} {dupCount === 1 ? 'is a duplicate' : 'are duplicates'}, not selected</>}.
          {' '}Nothing is stored until you press Import.
        </p>
      )}
      {result.entries.length > 0 && (
        <>
          <div class="row">
            <button type="button" onClick={() => onSelect(selected.map(() => true))}>Select all</button>
            <button type="button" onClick={() => onSelect(selected.map(() => false))}>Select none</button>
          </div>
          <div class="table-scroll">
            <table class="preview" aria-label="Codes found">
              <colgroup><col class="pick" /><col class="name" /><col class="name" /><col class="type" /><col /></colgroup>
              <thead>
                <tr>
                  <th scope="col"><span class="sr-only">Import</span></th>
                  <th scope="col">Issuer</th>
                  <th scope="col">Account</th>
                  <th scope="col">Type</th>
                  <th scope="col"><span class="sr-only">Duplicate</span></th>
                </tr>
              </thead>
              <tbody>
                {result.entries.map((entry, i) => {
                  const dup = duplicates[i];
                  const { input } = entry;
                  return (
                    <tr key={i} class={dup ? 'duplicate' : undefined}>
                      <td>
                        <input type="checkbox" checked={selected[i]} aria-label={`Import ${visibleText(entry.sourceLabel)}`}
                          onChange={(e) => toggle(i, e.currentTarget.checked)} />
                      </td>
                      <td>{entry.pinned && <span aria-label="pinned" title="Pinned">★ </span>}<Untrusted text={input.issuer} /></td>
                      <td><Untrusted text={input.account} /></td>
                      <td class="type">{TYPE_LABEL[input.type]}</td>
                      <td>{dup && <><span class="badge dup">duplicate</span> <span class="muted">{duplicateText(dup, result, existing)}</span></>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {result.problems.length > 0 && <ProblemList problems={result.problems} />}
      <div class="row">
        {!nothingUsable && (
          <button class="primary" type="button" disabled={busy || count === 0} onClick={onImport}>
            {busy ? 'Importing…' : `Import ${codes(count)}`}
          </button>
        )}
        <button type="button" onClick={onCancel} disabled={busy}>{nothingUsable ? 'Back' : 'Cancel'}</button>
      </div>
    </div>
  );
}

function ProblemList({ problems }: { problems: ImportResult['problems'] }) {
  return (
    <div class="stack problems" aria-labelledby="left-out-h">
      <h3 id="left-out-h">Left out ({problems.length})</h3>
      <ul>
        {problems.map((p, i) => <li key={i}>Left out: <strong><Untrusted text={p.label} /></strong>: <Untrusted text={p.reason} /></li>)}
      </ul>
    </div>
  );
}
