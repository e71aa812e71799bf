import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from './deps.js'

const startedAt = Date.now()

export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const pub = { config: { permission: 'public' as const }, schema: { hide: false, tags: ['health'] } }

  app.get('/health', { ...pub, schema: { ...pub.schema, summary: 'Liveness: the process answers' } }, async () => ({ status: 'ok' }))

  app.get('/ready', { ...pub, schema: { ...pub.schema, summary: 'Readiness: the store answers and migrations are applied' } }, async (_req, reply) => {
    try {
      await deps.stores.meta.ping()
      const m = await deps.stores.meta.migrationStatus()
      if (m.pending.length > 0) return reply.status(503).send({ status: 'not ready', reason: `${m.pending.length} migration(s) pending: run 'prognos migrate'` })
      return { status: 'ready' }
    } catch (err) {
      return reply.status(503).send({ status: 'not ready', reason: `store unreachable: ${(err as Error).message}` })
    }
  })

  app.get('/health/detailed', { config: { permission: 'read' }, schema: { tags: ['health'], summary: 'Component status (authenticated)' } }, async () => {
    const t0 = performance.now()
    let store: Record<string, unknown>
    try {
      await deps.stores.meta.ping()
      const m = await deps.stores.meta.migrationStatus()
      store = { kind: deps.stores.kind, ok: true, latencyMs: +(performance.now() - t0).toFixed(2), migrations: { current: m.current, latest: m.latest, pending: m.pending.length } }
    } catch (err) {
      store = { kind: deps.stores.kind, ok: false, error: (err as Error).message }
    }
    const mem = process.memoryUsage()
    const mb = (bytes: number): number => Math.round(bytes / 1e6)
    // The embedded store's own accounting: with the JS heap, what the process's RSS is made of.
    const storeMem = await deps.stores.memory?.().catch(() => undefined)
    // The anomaly stage's worker thread has a heap of its own (the detectors' state).
    const worker = deps.anomaly?.stats()
    return {
      status: store.ok ? 'ok' : 'degraded',
      version: deps.version,
      uptimeSec: Math.round((Date.now() - startedAt) / 1000),
      store,
      memory: {
        rssMb: mb(mem.rss),
        heapUsedMb: mb(mem.heapUsed),
        heapTotalMb: mb(mem.heapTotal),
        externalMb: mb(mem.external),
        ...(storeMem && { storeUsedMb: mb(storeMem.usedBytes), storeLimitMb: mb(storeMem.limitBytes), storeTemporaryMb: mb(storeMem.temporaryBytes) }),
        ...(worker?.heapUsedBytes !== undefined && { anomalyWorkerHeapUsedMb: mb(worker.heapUsedBytes), anomalyWorkerHeapTotalMb: mb(worker.heapTotalBytes ?? 0), anomalyWorkerExternalMb: mb(worker.externalBytes ?? 0) }),
      },
      ...deps.status?.(),
    }
  })

  app.get('/metrics', { ...pub, schema: { ...pub.schema, summary: 'Prometheus metrics' } }, async (_req, reply) => {
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics())
  })
}
