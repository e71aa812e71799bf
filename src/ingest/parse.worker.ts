/**
 * Worker thread: parses ingest bodies off the event loop. Receives the raw body bytes,
 * answers with the columnar ParsedBatch (its typed arrays transferred, not copied) or
 * with the body-level error.
 */
import { parentPort } from 'node:worker_threads'
import { parseIngestBody, type ParseOptions } from './records.parse.js'

export interface ParseRequest {
  id: number
  body: Uint8Array
  opts: ParseOptions & { maxRecords: number }
}

const decoder = new TextDecoder('utf-8', { fatal: true })

parentPort?.on('message', (msg: ParseRequest) => {
  try {
    let text: string
    try {
      text = decoder.decode(msg.body)
    } catch {
      throw Object.assign(new Error('the body is not valid UTF-8'), { code: 'MALFORMED_JSON' })
    }
    const batch = parseIngestBody(text, msg.opts)
    const columns = [batch.index, batch.asset, batch.ts, batch.start, batch.name, batch.value].map((c) => c.buffer as ArrayBuffer)
    parentPort!.postMessage({ id: msg.id, ok: true, batch }, columns)
  } catch (err) {
    const e = err as Error & { code?: string; count?: number; limit?: number }
    parentPort!.postMessage({ id: msg.id, ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message, count: e.count, limit: e.limit } })
  }
})
