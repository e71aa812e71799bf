import type { Worker } from 'node:worker_threads'
import { startWorker } from '../threads.js'
import { BatchTooLargeError, MalformedBatchError, MalformedJsonError } from './errors.js'
import type { ParsedBatch, ParseOptions } from './records.parse.js'
import type { ParseRequest } from './parse.worker.js'

type Reply = { id: number; ok: true; batch: ParsedBatch } | { id: number; ok: false; error: { code: string; message: string; count?: number; limit?: number } }

interface Slot {
  worker: Worker
  pending: Map<number, { resolve: (b: ParsedBatch) => void; reject: (e: unknown) => void }>
}

function rebuildError(e: { code: string; message: string; count?: number; limit?: number }): Error {
  switch (e.code) {
    case 'MALFORMED_JSON':
      return new MalformedJsonError(e.message)
    case 'INGEST_MALFORMED':
      return new MalformedBatchError(e.message)
    case 'INGEST_BATCH_TOO_LARGE':
      return new BatchTooLargeError(e.count ?? 0, e.limit ?? 0)
    default:
      return new Error(`ingest parser failed: ${e.message}`)
  }
}

/**
 * Worker threads that parse ingest bodies, so JSON parsing and record checks use
 * the machine's other cores while the event loop resolves channels and commits.
 * A worker that dies is replaced; the requests it held fail, none hang.
 */
export class ParsePool {
  private readonly slots: Slot[] = []
  private nextId = 1
  private turn = 0
  private closed = false

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn())
  }

  private spawn(): Slot {
    const worker = startWorker(import.meta.url, './parse.worker')
    const slot: Slot = { worker, pending: new Map() }
    worker.unref()
    worker.on('message', (reply: Reply) => {
      const p = slot.pending.get(reply.id)
      if (!p) return
      slot.pending.delete(reply.id)
      if (reply.ok) p.resolve(reply.batch)
      else p.reject(rebuildError(reply.error))
    })
    const fail = (err: unknown): void => {
      for (const p of slot.pending.values()) p.reject(err)
      slot.pending.clear()
      if (this.closed) return
      const i = this.slots.indexOf(slot)
      if (i >= 0) this.slots[i] = this.spawn()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`ingest parser worker exited with code ${code}`)))
    return slot
  }

  /** Parses `{"records": [...]}` bytes and checks each record. The bytes are handed to the worker: the caller must not read them afterwards. */
  parse(body: Uint8Array, opts: ParseOptions & { maxRecords: number }): Promise<ParsedBatch> {
    // The least busy worker; ties go round-robin.
    let best = this.slots[this.turn++ % this.slots.length]!
    for (const s of this.slots) if (s.pending.size < best.pending.size) best = s
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      best.pending.set(id, { resolve, reject })
      const msg: ParseRequest = { id, body, opts }
      // A body that owns its memory (any body past 4 KiB: Node pools only small buffers) is
      // handed over instead of copied; it is not read again on this side.
      const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer
      best.worker.postMessage(msg, owned ? [body.buffer] : [])
    })
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.slots.map((s) => s.worker.terminate()))
  }
}
