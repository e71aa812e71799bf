import type { FastifyInstance } from 'fastify'
import { MalformedBatchError } from '../ingest/errors.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { IngestBody, IngestResponse, errors } from './schemas.js'

export function ingestRoutes(app: FastifyInstance, deps: ApiDeps): void {
  // Its own context: this route takes the body as bytes, so parsing can run on a worker thread.
  void app.register(async (ctx) => {
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
          response: { 200: IngestResponse, ...errors(400, 401, 403, 413) },
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
