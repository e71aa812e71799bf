import type { FastifyInstance } from 'fastify'
import { IngestBusyError, MalformedBatchError } from '../ingest/errors.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { IngestBody, IngestResponse, errors } from './schemas.js'

/** How long a refused client should wait: commits take tens of milliseconds, so a second is ample. */
const RETRY_AFTER_SEC = 1

export function ingestRoutes(app: FastifyInstance, deps: ApiDeps): void {
  // Bytes of ingest requests admitted and not yet answered: the bound on what ingest holds in memory.
  let inflightBytes = 0
  const admitted = new WeakMap<object, number>()
  const release = (req: object): void => {
    const n = admitted.get(req)
    if (n === undefined) return
    admitted.delete(req)
    inflightBytes -= n
  }

  // Its own context: this route takes the body as bytes, so parsing can run on a worker thread.
  void app.register(async (ctx) => {
    // Admission happens before the body is read; one request is always admitted when none is in flight.
    ctx.addHook('preParsing', async (req) => {
      const bytes = Number(req.headers['content-length'] ?? 0) || 0
      if (inflightBytes > 0 && inflightBytes + bytes > deps.config.ingest.maxInflightBytes) throw new IngestBusyError(RETRY_AFTER_SEC)
      // The stages after the store (features) are behind: refuse rather than queue without bound.
      if (deps.ingest.saturated) throw new IngestBusyError(RETRY_AFTER_SEC)
      inflightBytes += bytes
      admitted.set(req, bytes)
    })
    ctx.addHook('onResponse', async (req) => release(req))
    ctx.addHook('onRequestAbort', async (req) => release(req))
    ctx.removeContentTypeParser('application/json')
    ctx.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
    ctx.post(
      '/v1/ingest',
      {
        config: { permission: 'ingest' },
        schema: {
          tags: ['ingest'],
          summary: 'Ingest wide records; answers once the accepted records are durable',
          description:
            'Each record is judged alone: the answer lists the accepted count and every refused record with its index, field and reason. ' +
            'When no record can be accepted the answer is 400 INGEST_REJECTED and nothing is stored.',
          body: IngestBody,
          response: { 200: IngestResponse, ...errors(400, 401, 403, 413, 503) },
        },
        // The schema documents one record; records are checked one by one by the ingest
        // parser, so a bad record is refused alone instead of failing the whole batch.
        validatorCompiler: () => (body: unknown) => ({ value: body }),
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body)) throw new MalformedBatchError('send the records as JSON with content-type application/json')
        const parsed = await deps.parseIngest(req.body, deps.ingest.parseOptions())
        return deps.ingest.ingestParsed(principal(req).tenantId, parsed)
      },
    )
  })
}
