import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { NotFoundError } from '../pipeline/errors.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { errors } from './schemas.js'

/** Beyond this many unsent bytes a subscriber is too slow: events are dropped and counted. */
const MAX_UNSENT_BYTES = 1 << 20
const HEARTBEAT_MS = 15_000

/** Live updates as Server-Sent Events. */
export function streamRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const open = new Set<() => void>()
  // Open streams never go idle: end them first, or closing the server would wait forever.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end()
  })

  r.get(
    '/v1/stream',
    {
      schema: {
        tags: ['live'],
        summary: 'Server-Sent Events of new readings, features, predictions and alerts for the caller’s tenant',
        description:
          'Each `readings` event carries `{assetId, series: [{channel, ts, value}]}` for readings that are already durable. ' +
          'Each `features` event carries `{assetId, ts, vector}`: the feature snapshot of the channels that reached a new hop, named `<channel>.w<windowSec>.<stat>` ' +
          '(stats count, mean, std, min, max, slope, last; `fft.dominant_hz` and `fft.band<i>` for high-rate channels). ' +
          '`prediction` events carry `{assetId, ts, source, kind, value, details?}` and `alert` events `{assetId, ts, source, severity, state, message, details?}`, from the scoring and alerting stages when they are registered. ' +
          'A client that falls behind gets a `dropped` event with the number of events it missed. A comment line every 15 s keeps proxies open.',
        querystring: Type.Object({ assets: Type.Optional(Type.String({ description: 'comma-separated asset ids; default every asset of the tenant' })) }),
        response: errors(400, 404),
      },
    },
    async (req, reply) => {
      const tenantId = principal(req).tenantId
      const ids = req.query.assets?.split(',').map((s) => s.trim()).filter(Boolean)
      if (ids) {
        const tm = deps.stores.meta.tenant(tenantId)
        for (const id of ids) if (!(await tm.getAsset(id))) throw new NotFoundError('asset', id)
      }
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' })
      res.write(': connected\n\n')
      let dropped = 0
      const unsubscribe = deps.live.subscribe({
        tenantId,
        assets: ids ? new Set(ids) : null,
        send: (event, data) => {
          if (res.writableLength > MAX_UNSENT_BYTES) {
            dropped++
            return
          }
          if (dropped > 0) {
            res.write(`event: dropped\ndata: {"events":${dropped}}\n\n`)
            dropped = 0
          }
          res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
        },
      })
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS)
      heartbeat.unref()
      const end = (): void => {
        if (!open.delete(end)) return
        clearInterval(heartbeat)
        unsubscribe()
        res.end()
      }
      open.add(end)
      req.raw.on('close', end)
    },
  )
}
