import type { FastifyInstance } from 'fastify'
import { MalformedBatchError } from '../ingest/errors.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { IngestBody, IngestResponse, errors } from './schemas.js'

export function ingestRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: IngestBody }>(
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
      // The documented schema describes one record; records are checked one by one by the
      // ingest parser, so a bad record is refused alone instead of failing the whole batch.
      validatorCompiler: () => (body: unknown) => {
        const ok = typeof body === 'object' && body !== null && Array.isArray((body as { records?: unknown }).records)
        return ok ? { value: body } : { error: new MalformedBatchError('the body must be {"records": [ … ]}') }
      },
    },
    async (req) => deps.ingest.ingest(principal(req).tenantId, req.body.records),
  )
}
