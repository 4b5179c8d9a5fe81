/**
 * A minimal protocol-buffers reader: enough of the wire format to read Google Authenticator's
 * migration payload, and strict about damage. Varints are read in full (up to 10 bytes, as
 * BigInt) so lengths above 127 bytes and negative int32s (sign-extended to 10 bytes) come out right.
 */

export class ProtobufError extends Error {}

export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;
export type WireType = number;

export interface ProtoField {
  number: number;
  wireType: WireType;
  /** Varint value (as an unsigned 64-bit BigInt), for wire type 0. */
  varint?: bigint;
  /** Contents, for length-delimited fields. */
  bytes?: Uint8Array;
}

export class ProtoReader {
  private at = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.at >= this.buf.length) throw new ProtobufError('it ends in the middle of a number');
      const byte = this.buf[this.at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new ProtobufError('a number in it is longer than 10 bytes');
  }

  /** The next field, or throws ProtobufError on damage. Unknown fields are returned too, for the caller to skip. */
  field(): ProtoField {
    const key = this.varint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number === 0 || number > 536_870_911) throw new ProtobufError(`it has an invalid field number (${number})`);
    switch (wireType) {
      case WireType.Varint:
        return { number, wireType, varint: this.varint() };
      case WireType.LengthDelimited: {
        const length = this.varint();
        if (length > BigInt(this.buf.length - this.at)) throw new ProtobufError('it is cut off (a field is longer than what is left)');
        const start = this.at;
        this.at += Number(length);
        return { number, wireType, bytes: this.buf.subarray(start, this.at) };
      }
      case WireType.Fixed64:
        return { number, wireType, bytes: this.take(8) };
      case WireType.Fixed32:
        return { number, wireType, bytes: this.take(4) };
      default:
        throw new ProtobufError(`it uses an unexpected encoding (wire type ${wireType})`);
    }
  }

  private take(n: number): Uint8Array {
    if (this.at + n > this.buf.length) throw new ProtobufError('it is cut off');
    const start = this.at;
    this.at += n;
    return this.buf.subarray(start, this.at);
  }
}

/** A varint field read as a protobuf int32 (negative values arrive sign-extended to 64 bits). */
export const asInt32 = (value: bigint): number => Number(BigInt.asIntN(32, value));
/** A varint field read as a protobuf int64. */
export const asInt64 = (value: bigint): bigint => BigInt.asIntN(64, value);
