import { endianness } from 'node:os'
import duckdb from '@duckdb/node-bindings'
import type { DuckDBDataChunk } from '@duckdb/node-api'

/**
 * Filling DuckDB data chunks column by column, for the appenders of the ingest path: a
 * typed array goes into a vector as one memory copy, not one call per value (the
 * appender's per-value calls were most of what a prediction row cost, and a BigInt per
 * timestamp is an allocation per row).
 */

/** DuckDB's vector size: a data chunk holds at most this many rows. */
export const CHUNK_ROWS = 2048
const TWO_POW_32 = 4294967296
/** A VARCHAR vector entry (duckdb_string_t): a 4-byte length, then up to 12 bytes inline or a prefix and a pointer. */
const STRING_T_BYTES = 16
const INLINE_BYTES = 12
// Columns are copied into DuckDB's vectors as raw memory, which is little-endian on every supported platform.
if (endianness() !== 'LE') throw new Error('the DuckDB store needs a little-endian machine')

/** Copies `n` values of a typed array, from `from`, into column `col` (INTEGER from Int32Array, DOUBLE from Float64Array). */
export function copyColumn(chunk: DuckDBDataChunk, col: number, values: Int32Array | Float64Array, from: number, n: number): void {
  const bytes = values.BYTES_PER_ELEMENT
  duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, col), 0, values.buffer as ArrayBuffer, values.byteOffset + from * bytes, n * bytes)
}

/**
 * Epoch milliseconds (whole numbers in doubles) into a BIGINT column, through `words`
 * (a scratch array of at least 2·n words) as little-endian int64s.
 */
export function copyEpochMs(chunk: DuckDBDataChunk, col: number, values: ArrayLike<number>, from: number, n: number, words: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    const t = values[from + i]!
    const hi = Math.floor(t / TWO_POW_32)
    words[2 * i] = t - hi * TWO_POW_32
    words[2 * i + 1] = hi >>> 0
  }
  duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, col), 0, words.buffer as ArrayBuffer, words.byteOffset, n * 8)
}

const encoder = new TextEncoder()

/**
 * Strings (or nulls) into a VARCHAR column. Strings of at most 12 UTF-8 bytes are written
 * inline into the vector's entries in the one copy (the layout of `duckdb_string_t`); longer
 * ones each take one call, which copies them into the vector's own heap. `scratch` holds at
 * least 16·n bytes and `validity` at least ⌈n/64⌉ words.
 */
export function copyVarchar(chunk: DuckDBDataChunk, col: number, values: readonly (string | null)[], from: number, n: number, scratch: Uint8Array, validity: BigUint64Array): void {
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, col)
  const view = new DataView(scratch.buffer, scratch.byteOffset, n * STRING_T_BYTES)
  scratch.fill(0, 0, n * STRING_T_BYTES)
  const words = Math.ceil(n / 64)
  validity.fill(~0n, 0, words)
  let anyNull = false
  const long: number[] = []
  for (let i = 0; i < n; i++) {
    const s = values[from + i]
    if (s === null || s === undefined) {
      validity[i >> 6]! &= ~(1n << BigInt(i & 63))
      anyNull = true
      continue
    }
    // A UTF-8 string is never shorter than its UTF-16 length, so a longer one cannot fit inline.
    if (s.length > INLINE_BYTES) {
      long.push(i)
      continue
    }
    const at = i * STRING_T_BYTES
    const { written, read } = encoder.encodeInto(s, scratch.subarray(at + 4, at + 4 + INLINE_BYTES))
    if (read !== s.length) {
      scratch.fill(0, at + 4, at + 4 + INLINE_BYTES)
      long.push(i)
      continue
    }
    view.setUint32(at, written, true)
  }
  duckdb.copy_data_to_vector(vector, 0, scratch.buffer as ArrayBuffer, scratch.byteOffset, n * STRING_T_BYTES)
  for (const i of long) duckdb.vector_assign_string_element(vector, i, values[from + i]!)
  if (anyNull) {
    duckdb.vector_ensure_validity_writable(vector)
    duckdb.copy_data_to_vector_validity(vector, 0, validity.buffer as ArrayBuffer, validity.byteOffset, words * 8)
  }
}
