import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { adminRoutes } from './admin.routes.js'
import { alertsRoutes } from './alerts.routes.js'
import { anomalyRoutes } from './anomaly.routes.js'
import { authHook } from './auth.hook.js'
import { authRoutes } from './auth.routes.js'
import type { ApiDeps } from './deps.js'
import { domainRoutes } from './domain.routes.js'
import { featuresRoutes } from './features.routes.js'
import { errorHandler, toHttpError } from './error-mapper.js'
import { healthRoutes } from './health.routes.js'
import { ingestRoutes } from './ingest.routes.js'
import { modelsRoutes } from './models.routes.js'
import { readingsRoutes } from './readings.routes.js'
import { streamRoutes } from './stream.routes.js'
import { ErrorBody, errors } from './schemas.js'
import { validatorCompiler } from './validation.js'

/** Where `npm run build` puts the dashboard; two levels up from dist/src/api or src/api. */
export function defaultWebRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url))
  for (const candidate of ['../../web', '../../dist/web', '../../../dist/web']) {
    const p = fileURLToPath(new URL(candidate, `file://${here}`))
    if (existsSync(`${p}/index.html`) && !existsSync(`${p}/vite.config.ts`)) return p
  }
  return fileURLToPath(new URL('../../dist/web', `file://${here}`))
}

/**
 * Builds the HTTP application. No socket is opened here: tests call `app.inject()`,
 * main.ts calls `listen`.
 */
export async function buildApp(deps: ApiDeps, opts: { webRoot?: string } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    // Per-request lines only when debugging: at ingest rates they would drown everything else.
    logController: new LogController({ disableRequestLogging: !deps.log.isLevelEnabled('debug') }),
    bodyLimit: deps.config.http.bodyLimitBytes,
  })
  app.setValidatorCompiler(validatorCompiler())
  app.setErrorHandler(errorHandler(deps.log))
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` })
  })
  app.addSchema(ErrorBody)
  // JSON only: a text/plain body gets 415 instead of a confusing validation error.
  app.removeContentTypeParser('text/plain')
  // Document what the auth hook enforces: public routes need no credentials, the others may answer 401/403.
  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission
    const schema = (route.schema ??= {}) as { security?: unknown[]; response?: Record<string, unknown> }
    if (permission === 'public') schema.security = []
    else if (permission !== undefined || route.url.startsWith('/v1/')) schema.response = { ...errors(401, 403), ...schema.response }
  })

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  })
  await app.register(rateLimit, { global: false, errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, code: 'RATE_LIMITED', message: `too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s` }) })
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Prognos API', version: deps.version, description: 'Telemetry ingest, assets, readings and administration of a Prognos platform.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true } })

  app.addHook('onRequest', authHook(deps.auth))
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.httpDuration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000)
  })

  healthRoutes(app, deps)
  authRoutes(app, deps)
  domainRoutes(app, deps)
  ingestRoutes(app, deps)
  readingsRoutes(app, deps)
  featuresRoutes(app, deps)
  streamRoutes(app, deps)
  adminRoutes(app, deps)
  modelsRoutes(app, deps)
  alertsRoutes(app, deps)
  anomalyRoutes(app, deps)
  app.get('/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger())

  const webRoot = opts.webRoot ?? defaultWebRoot()
  if (existsSync(webRoot)) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: ['index.html'] })
  } else {
    app.get('/', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain').send(`Prognos API is running. The dashboard is not built: run 'npm run build'. API docs: /docs`),
    )
  }
  return app
}

export { toHttpError }
