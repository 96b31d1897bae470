// A blob output member too large to hold in memory at once (GetCredentialReport's Content: tens of megabytes for a
// large account): the handler returns a StreamedBlob naming its size and a source of its bytes; the serializer
// writes a unique placeholder where the blob's base64 goes (the blob's own few bytes are that placeholder), and the
// endpoint sends the envelope around it with the base64 produced chunk by chunk as the response is written, so
// neither the bytes nor their base64 nor the XML exist whole. The wire is the same as for any blob.
import { randomBytes } from 'node:crypto';

// Bytes a base64 string is made of at most (a multiple of 3: 64 KiB of base64).
const BASE64_SLICE = 49_152;

export class StreamedBlob extends Uint8Array {
  // Methods that build new arrays (slice, map, …) give plain Uint8Arrays, not StreamedBlobs.
  static get [Symbol.species](): Uint8ArrayConstructor { return Uint8Array; }
  /**
   * @param byteLength the blob's size in bytes, for the response's content-length
   * @param chunks the bytes, in order (any chunk sizes); throwing mid-way aborts the response
   */
  constructor(readonly size: number, readonly chunks: () => AsyncIterable<Buffer>) {
    super(randomBytes(24)); // the placeholder the serializer writes: 32 base64 characters found once in the envelope
  }
  /** What the serializer writes for this blob (the base64 of its placeholder bytes). */
  get placeholder(): string { return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('base64'); }
  /** The length of the base64 the real bytes make. */
  get base64Length(): number { return 4 * Math.ceil(this.size / 3); }
  /**
   * The real bytes as base64, chunk by chunk (bytes carried over so every chunk but the last is a multiple of 3), at
   * most 64 KiB of base64 a string: larger strings go to V8's large-object space, which only a full collection frees,
   * so megabyte chunks piled up there while a report streamed (the server's RSS grew by tens of MiB).
   */
  async *base64(): AsyncGenerator<string> {
    let carry = Buffer.alloc(0);
    let sent = 0;
    for await (const chunk of this.chunks()) {
      const all = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const whole = all.length - (all.length % 3);
      for (let at = 0; at < whole; at += BASE64_SLICE) yield all.subarray(at, Math.min(whole, at + BASE64_SLICE)).toString('base64');
      carry = Buffer.from(all.subarray(whole));
      sent += chunk.length;
    }
    if (carry.length) yield carry.toString('base64');
    if (sent !== this.size) throw new Error(`streamed blob: ${sent} bytes, announced ${this.size}`);
  }
}

/** The StreamedBlob among an output's top-level members, if any. */
export function streamedBlobOf(output: object | undefined): StreamedBlob | undefined {
  for (const v of Object.values(output ?? {})) if (v instanceof StreamedBlob) return v;
  return undefined;
}
