/**
 * Google Authenticator's "Transfer accounts" export: otpauth-migration://offline?data=BASE64, where
 * the data is a protobuf MigrationPayload. Large exports are split over several QR codes that share
 * a batch_id; each code is self-contained, so the parts present are imported and missing ones are
 * reported by number (never guessed).
 *
 * MigrationPayload: 1 otp_parameters (repeated), 2 version, 3 batch_size, 4 batch_index, 5 batch_id.
 * OtpParameters: 1 secret (bytes), 2 name, 3 issuer, 4 algorithm, 5 digits, 6 type, 7 counter (int64).
 */
import { bytesToBase32 } from '../base32';
import { EntryCollector, entryLabel } from './collector';
import { decodeBase64, decodeUtf8 } from './encoding';
import { corrupt, said } from './errors';
import { ProtoReader, ProtobufError, WireType, asInt32, asInt64, type ProtoField } from './protobuf';

export const GOOGLE_FORMAT = 'words_formatGoogle';

export interface MigrationOtp {
  secret: Uint8Array;
  name: string;
  issuer: string;
  algorithm: number;
  digits: number;
  type: number;
  counter: bigint;
}

export interface MigrationPayload {
  otps: MigrationOtp[];
  version: number;
  batchSize: number;
  batchIndex: number;
  batchId: number;
}

export const isMigrationLink = (text: string): boolean => /^otpauth-migration:/i.test(text);

/** Reads one otpauth-migration:// link; throws ImportError 'corrupt' saying what is wrong with it. */
export function readMigrationLink(link: string): MigrationPayload {
  const query = link.slice(link.indexOf('?') + 1);
  if (!link.includes('?')) throw corrupt('importErr_googleNoQuery');
  const raw = query.split('&').find((part) => /^data=/i.test(part))?.slice(5);
  if (!raw) throw corrupt('importErr_googleNoData');
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    throw corrupt('importErr_googleEscape');
  }
  // Form decoding turns an unescaped "+" into a space; in base64 it was a "+".
  const bytes = decodeBase64(text.replace(/ /g, '+'));
  if (!bytes) throw corrupt('importErr_googleBase64');
  try {
    return decodeMigrationPayload(bytes);
  } catch (e) {
    if (e instanceof ProtobufError) throw corrupt('importErr_googleDamaged');
    throw e;
  }
}

/** Throws ProtobufError on damage. */
export function decodeMigrationPayload(bytes: Uint8Array): MigrationPayload {
  const payload: MigrationPayload = { otps: [], version: 0, batchSize: 1, batchIndex: 0, batchId: 0 };
  const reader = new ProtoReader(bytes);
  while (!reader.done) {
    const f = reader.field();
    switch (f.number) {
      case 1: payload.otps.push(decodeOtp(lengthDelimited(f))); break;
      case 2: payload.version = asInt32(varint(f)); break;
      case 3: payload.batchSize = asInt32(varint(f)); break;
      case 4: payload.batchIndex = asInt32(varint(f)); break;
      case 5: payload.batchId = asInt32(varint(f)); break;
      default: break; // fields added by later versions
    }
  }
  return payload;
}

function decodeOtp(bytes: Uint8Array): MigrationOtp {
  const otp: MigrationOtp = { secret: new Uint8Array(0), name: '', issuer: '', algorithm: 0, digits: 0, type: 0, counter: 0n };
  const reader = new ProtoReader(bytes);
  while (!reader.done) {
    const f = reader.field();
    switch (f.number) {
      case 1: otp.secret = lengthDelimited(f); break;
      case 2: otp.name = text(f); break;
      case 3: otp.issuer = text(f); break;
      case 4: otp.algorithm = asInt32(varint(f)); break;
      case 5: otp.digits = asInt32(varint(f)); break;
      case 6: otp.type = asInt32(varint(f)); break;
      case 7: otp.counter = asInt64(varint(f)); break;
      default: break;
    }
  }
  return otp;
}

function varint(f: ProtoField): bigint {
  if (f.wireType !== WireType.Varint || f.varint === undefined) throw new ProtobufError(`field ${f.number} has the wrong encoding`);
  return f.varint;
}

function lengthDelimited(f: ProtoField): Uint8Array {
  if (f.wireType !== WireType.LengthDelimited || !f.bytes) throw new ProtobufError(`field ${f.number} has the wrong encoding`);
  return f.bytes;
}

function text(f: ProtoField): string {
  const value = decodeUtf8(lengthDelimited(f));
  if (value === null) throw new ProtobufError('a name in it is not valid UTF-8');
  return value;
}

// ---------------------------------------------------------------------------------------------
// From payloads to entries

const ALGORITHMS: Record<number, string> = { 0: 'SHA1', 1: 'SHA1', 2: 'SHA256', 3: 'SHA512' };
const DIGITS: Record<number, number> = { 0: 6, 1: 6, 2: 8 };
const ALGORITHM_MD5 = 4;
const TYPE_HOTP = 1;
const TYPE_TOTP = 2;

/** Adds one account; `where` names it by the QR code it came from when it has no name of its own. */
export function addMigrationOtp(collector: EntryCollector, otp: MigrationOtp, where: () => string): void {
  const { issuer, account } = splitName(otp.name, otp.issuer);
  const label = entryLabel(issuer, account, where);
  const problem = unsupportedParameter(otp);
  if (problem) {
    collector.reject(label, problem);
    return;
  }
  const hotp = otp.type === TYPE_HOTP;
  collector.add({
    type: hotp ? 'hotp' : 'totp', secret: bytesToBase32(otp.secret), algorithm: ALGORITHMS[otp.algorithm],
    digits: DIGITS[otp.digits], issuer, account, counter: hotp ? String(otp.counter) : undefined,
  }, { sourceLabel: label });
}

function unsupportedParameter(otp: MigrationOtp): string | null {
  if (otp.algorithm === ALGORITHM_MD5) return said('importErr_md5');
  if (!ALGORITHMS[otp.algorithm]) return said('importErr_algorithmCode', otp.algorithm);
  if (!DIGITS[otp.digits]) return said('importErr_digitsCode', otp.digits);
  // 0 ("unspecified") is what old exports write for time-based codes.
  if (otp.type !== TYPE_HOTP && otp.type !== TYPE_TOTP && otp.type !== 0) return said('importErr_typeCode', otp.type);
  if (otp.type === TYPE_HOTP && (otp.counter < 0n || otp.counter > BigInt(Number.MAX_SAFE_INTEGER))) {
    return said('importErr_counterRange', String(otp.counter));
  }
  return null;
}

/** Google writes "Issuer:account" in name as well as the issuer field; the prefix is not part of the account. */
function splitName(name: string, issuer: string): { issuer: string; account: string } {
  const trimmedIssuer = issuer.trim();
  if (trimmedIssuer && name.startsWith(`${trimmedIssuer}:`)) return { issuer: trimmedIssuer, account: name.slice(trimmedIssuer.length + 1).trim() };
  const colon = name.indexOf(':');
  if (!trimmedIssuer && colon > 0) return { issuer: name.slice(0, colon).trim(), account: name.slice(colon + 1).trim() };
  return { issuer: trimmedIssuer, account: name.trim() };
}

/** Google splits an export over as many QR codes as it needs (10 accounts or so each); no real one has 100. */
const MAX_PARTS = 100;

/**
 * Collects the parts of one or more exports, then adds their accounts in the exporter's order and
 * reports every part that is missing. Parts given twice count once.
 */
export class MigrationBatches {
  private readonly batches = new Map<string, MigrationPayload[]>();

  add(payload: MigrationPayload): void {
    // A single-part export needs no grouping; parts of a batch share id and size.
    const key = payload.batchSize <= 1 ? `single/${this.batches.size}` : `${payload.batchId}/${payload.batchSize}`;
    const parts = this.batches.get(key) ?? [];
    parts.push(payload);
    this.batches.set(key, parts);
  }

  get count(): number {
    return this.batches.size;
  }

  finish(collector: EntryCollector): void {
    let exportNumber = 0;
    for (const parts of this.batches.values()) {
      exportNumber++;
      const label = this.batches.size > 1 ? said('importErr_labelExport', said(GOOGLE_FORMAT), exportNumber) : said(GOOGLE_FORMAT);
      const size = parts[0]!.batchSize;
      if (size <= 1 || size > MAX_PARTS) {
        if (size > MAX_PARTS) collector.reject(label, said('importErr_googleParts', size));
        for (const payload of parts) for (const otp of payload.otps) addMigrationOtp(collector, otp, () => said('importErr_labelInExport'));
        continue;
      }
      this.finishBatch(collector, parts, size, label);
    }
  }

  private finishBatch(collector: EntryCollector, parts: MigrationPayload[], size: number, label: string): void {
    const byIndex = new Map<number, MigrationPayload>();
    const misnumbered: MigrationPayload[] = [];
    for (const payload of parts) {
      const index = payload.batchIndex;
      if (index < 0 || index >= size) misnumbered.push(payload);
      else if (!byIndex.has(index)) byIndex.set(index, payload);
    }
    for (let index = 0; index < size; index++) {
      const payload = byIndex.get(index);
      if (payload) {
        for (const otp of payload.otps) addMigrationOtp(collector, otp, () => said('importErr_labelInQr', index + 1, size));
      } else {
        collector.reject(label, said('importErr_googleMissing', index + 1, size, index));
      }
    }
    for (const payload of misnumbered) {
      collector.reject(label, said('importErr_googleMisnumbered', payload.batchIndex + 1, size));
      for (const otp of payload.otps) addMigrationOtp(collector, otp, () => said('importErr_labelMisnumbered'));
    }
  }
}
