/**
 * Refusals made by domain code (the add-code form's link and fields, the link form's address, imports and backups) reach
 * the person in their language: the same checks, read with the German messages file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import de from '../../_locales/de/messages.json';
import en from '../../_locales/en/messages.json';
import { messageSource } from '../../src/i18n/messages-file';
import { setMessageSource } from '../../src/i18n/t';
import { parseOtpUri, validateEntryInput } from '../../src/vault/otp-uri';
import { normaliseInstanceUrl } from '../../src/sessions/accounts';
import { SessionsError } from '../../src/sessions/types';
import { ImportError, importText } from '../../src/vault/import';
import { BACKUP_FORMAT, checkBackupFile } from '../../src/vault/backup';
import { formatName } from '../../src/vault/import/format-name';

const errorOf = (r: ReturnType<typeof parseOtpUri>) => (r.ok ? 'accepted' : r.error);

function refusal(input: string): SessionsError {
  try {
    normaliseInstanceUrl(input);
  } catch (e) {
    if (e instanceof SessionsError) return e;
    throw e;
  }
  throw new Error(`${input} was accepted`);
}

describe('refusals in German', () => {
  beforeEach(() => setMessageSource(messageSource(de, 'de')));
  afterEach(() => setMessageSource(messageSource(en, 'en')));

  it('say what is wrong with a link, with German numbers', () => {
    expect(errorOf(parseOtpUri('https://example.com'))).toBe('Kein otpauth://-Link: Er sollte mit otpauth://totp/ oder otpauth://hotp/ beginnen.');
    expect(errorOf(parseOtpUri('otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&period=0'))).toBe(
      'Ungültiger Zeitraum \'0\': Er muss eine ganze Zahl von Sekunden zwischen 1 und 86.400 sein.');
    expect(errorOf(parseOtpUri('otpauth://totp/A:b?secret=JBSWY3DP1'))).toMatch(/^Der geheime Schlüssel enthält '1'/);
  });

  it('name the form field the way the form does', () => {
    expect(errorOf(validateEntryInput({ secret: 'JBSWY3DPEHPK3PXP', issuer: 'i'.repeat(201) }))).toBe('Anbieter: zu lang (201 Zeichen; höchstens 200).');
  });

  it('keep the warning about a short secret', () => {
    const r = parseOtpUri('otpauth://totp/A:b?secret=JBSWY3D');
    expect(r.ok && r.warnings).toEqual(['Der geheime Schlüssel ist ungewöhnlich kurz (7 Zeichen): Prüfen Sie, ob er vollständig kopiert wurde.']);
  });

  it('refuse a link address with a sentence the page can show, and its key for pages in another language', () => {
    const e = refusal('ftp://forum.example.org');
    expect(e.message).toMatch(/^Die Adresse muss mit https:\/\/ beginnen/);
    expect(e.said).toEqual({ key: 'linkInput_https', subs: [] });
    expect(refusal('co.uk').message).toBe('„co.uk“ wird von vielen voneinander unabhängigen Websites geteilt und kann daher nicht als eine verknüpft werden. Geben Sie die Adresse der Website selbst an, etwa https://forum.co.uk.');
  });
});

describe('import refusals in German', () => {
  beforeEach(() => setMessageSource(messageSource(de, 'de')));
  afterEach(() => setMessageSource(messageSource(en, 'en')));

  async function refusedImport(input: string | Uint8Array): Promise<ImportError> {
    const e = await importText(input).then(() => null, (e: unknown) => e);
    if (e instanceof ImportError) return e;
    throw new Error(`expected an ImportError, got ${String(e)}`);
  }

  it('say what a file that is no export looks like', async () => {
    expect((await refusedImport('   ')).message).toBe('Die Datei ist leer.');
    const list = await refusedImport('[1, 2, 3]');
    expect(list).toMatchObject({ code: 'unknown-format', message: 'Das ist eine JSON-Liste mit 3 Elementen, aber kein Exportformat, das Revoke kennt.' });
    expect(list.said).toEqual({ key: 'importErr_jsonList', subs: [3] });
    expect((await refusedImport('JBSWY3DPEHPK3PXP')).message).toBe(
      'Das sieht nach einem bloßen geheimen Schlüssel aus, nicht nach einem Export: Fügen Sie ihn mit „Manuell eingeben“ hinzu.');
  });

  it('give the size of a file that is too large with German decimals', async () => {
    const e = await refusedImport(new Uint8Array(21.5 * 1024 * 1024));
    expect(e).toMatchObject({ code: 'too-large', message: 'Diese Datei ist zu groß für einen Authenticator-Export (21,5 MB; die Grenze liegt bei 20 MB).' });
  });

  it('name the lines left out and why', async () => {
    const result = await importText('otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\nhello\notpauth://totp/C:d?secret=JBSWY3D1');
    expect(result.entries).toHaveLength(1);
    expect(result.problems).toEqual([
      { label: 'Zeile 2', reason: 'Kein otpauth://-Link.' },
      { label: 'Zeile 3', reason: expect.stringMatching(/^Der geheime Schlüssel enthält '1'/) },
    ]);
  });

  it('name the format read, and whether it was encrypted, in German', async () => {
    const links = await importText('otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP');
    expect(formatName(links.format)).toBe('otpauth://-Links');
    const aegis = await importText(JSON.stringify({ version: 1, header: { slots: [], params: {} }, db: 'c2VhbGVk' }));
    expect(aegis).toMatchObject({ needsPassword: true, format: { name: 'words_formatAegis', encrypted: true } });
    expect(formatName(aegis.format)).toBe('Aegis (verschlüsselt)');
    expect(formatName({ name: 'words_formatGoogle', encrypted: false })).toBe('Google-Authenticator-Export');
  });

  it('say that a backup needs a newer Revoke', () => {
    let error: unknown;
    try {
      checkBackupFile({ format: BACKUP_FORMAT, version: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'unsupported',
      message: 'Diese Sicherung wurde mit einer neueren Version von Revoke erstellt (Sicherungsformat Version 2); diese Version liest Version 1. Aktualisieren Sie Revoke und stellen Sie die Sicherung dann wieder her.',
    });
  });
});
