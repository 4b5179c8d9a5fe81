/**
 * Refusals made by domain code (the add-code form's link and fields, the link form's address) reach
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
