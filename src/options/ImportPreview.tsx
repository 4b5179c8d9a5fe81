/** The review step of an import: what was found, what repeats, what was left out. Nothing is stored here. */
import type { Duplicate, ImportResult } from '../vault/import';
import { formatName } from '../vault/import/format-name';
import type { OtpEntry } from '../vault/types';
import { entryTitle } from '../ui/entry-view';
import { Untrusted } from '../ui/Untrusted';
import { visibleText } from '../lib/untrusted-text';
import { t, tp } from '../i18n/t';

const TYPE_LABEL = { totp: 'TOTP', hotp: 'HOTP', steam: 'Steam' } as const;

export const codes = (n: number) => tp('codes_count', n);

/** Why a row is a duplicate, in words; the names come from the vault or the file and are rendered as text. */
function duplicateText(d: Duplicate, result: ImportResult, existing: readonly OtpEntry[]): string {
  if (d.of === 'existing') {
    const e = existing.find((x) => x.id === d.entryId);
    const name = e ? entryTitle(e) : t('preview_anEntry');
    return d.match === 'exact' ? t('preview_existing') : t('preview_sameSecretExisting', name);
  }
  const first = result.entries[d.index];
  const name = first ? entryTitle(first.input) : t('preview_anEarlierEntry');
  return t(d.match === 'exact' ? 'preview_repeats' : 'preview_sameSecretFile', name);
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
    <div class="stack" aria-label={t('preview_label')} role="group">
      {nothingUsable ? (
        <p class="error" role="alert">
          {tp('preview_nothing', result.problems.length, from, formatName(result.format))}
        </p>
      ) : (
        <p>
          {t('preview_found', codes(result.entries.length), from, formatName(result.format))}
          {dupCount > 0 && ` ${tp('preview_duplicates', dupCount)}`}
          {` ${t('preview_nothingStored')}`}
        </p>
      )}
      {result.entries.length > 0 && (
        <>
          <div class="row">
            <button type="button" onClick={() => onSelect(selected.map(() => true))}>{t('preview_selectAll')}</button>
            <button type="button" onClick={() => onSelect(selected.map(() => false))}>{t('preview_selectNone')}</button>
          </div>
          <div class="table-scroll">
            <table class="preview" aria-label={t('preview_table_label')}>
              <colgroup><col class="pick" /><col class="name" /><col class="name" /><col class="type" /><col /></colgroup>
              <thead>
                <tr>
                  <th scope="col"><span class="sr-only">{t('preview_import')}</span></th>
                  <th scope="col">{t('entry_issuer')}</th>
                  <th scope="col">{t('entry_account')}</th>
                  <th scope="col">{t('entry_type')}</th>
                  <th scope="col"><span class="sr-only">{t('preview_duplicate')}</span></th>
                </tr>
              </thead>
              <tbody>
                {result.entries.map((entry, i) => {
                  const dup = duplicates[i];
                  const { input } = entry;
                  return (
                    <tr key={i} class={dup ? 'duplicate' : undefined}>
                      <td>
                        <input type="checkbox" checked={selected[i]} aria-label={t('preview_importOne', visibleText(entry.sourceLabel))}
                          onChange={(e) => toggle(i, e.currentTarget.checked)} />
                      </td>
                      <td>{entry.pinned && <span aria-label={t('codes_pinned')} title={t('preview_pinned')}>★ </span>}<Untrusted text={input.issuer} /></td>
                      <td><Untrusted text={input.account} /></td>
                      <td class="type">{TYPE_LABEL[input.type]}</td>
                      <td>{dup && <><span class="badge dup">{t('preview_duplicateBadge')}</span> <span class="muted">{duplicateText(dup, result, existing)}</span></>}</td>
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
            {busy ? t('preview_importing') : t('preview_importCount', codes(count))}
          </button>
        )}
        <button type="button" onClick={onCancel} disabled={busy}>{t(nothingUsable ? 'action_back' : 'action_cancel')}</button>
      </div>
    </div>
  );
}

function ProblemList({ problems }: { problems: ImportResult['problems'] }) {
  return (
    <div class="stack problems" aria-labelledby="left-out-h">
      <h3 id="left-out-h">{t('preview_leftOut', problems.length)}</h3>
      <ul>
        {problems.map((p, i) => <li key={i}>{t('preview_leftOutPrefix')} <strong><Untrusted text={p.label} /></strong>: <Untrusted text={p.reason} /></li>)}
      </ul>
    </div>
  );
}
