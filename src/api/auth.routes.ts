import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { noContent } from './reply.js'
import { RoleSchema, errors } from './schemas.js'

const TokenResponse = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  expiresInSec: Type.Integer(),
  user: Type.Object({ id: Type.String(), username: Type.String(), role: RoleSchema, tenantId: Type.String() }),
})

export function authRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['auth']

  r.post(
    '/v1/auth/login',
    {
      config: { permission: 'public', rateLimit: { max: deps.config.auth.loginRateLimitPerMin, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Log in: a short-lived access token and a refresh token',
        security: [],
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: TokenResponse, ...errors(400, 401, 429) },
      },
    },
    async (req) => deps.auth.login(req.body.username, req.body.password),
  )

  r.post(
    '/v1/auth/refresh',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Trade a refresh token for new tokens (each refresh token works once)',
        security: [],
        body: Type.Object({ refreshToken: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
        response: { 200: TokenResponse, ...errors(400, 401) },
      },
    },
    async (req) => deps.auth.refresh(req.body.refreshToken),
  )

  r.post(
    '/v1/auth/logout',
    {
      config: { permission: 'public' },
      schema: { tags, summary: 'Revoke a refresh token', security: [], body: Type.Object({ refreshToken: Type.String({ minLength: 1 }) }, { additionalProperties: false }) },
    },
    async (req, reply) => {
      await deps.auth.logout(req.body.refreshToken)
      return noContent(reply)
    },
  )

  r.get('/v1/me', { schema: { tags, summary: 'Who the credentials belong to', response: { 200: Type.Object({ id: Type.String(), username: Type.String(), kind: Type.String(), role: RoleSchema, tenantId: Type.String(), platformAdmin: Type.Boolean() }), ...errors(401) } } }, async (req) => {
    const p = principal(req)
    return { id: p.id, username: p.name, kind: p.kind, role: p.role, tenantId: p.tenantId, platformAdmin: p.platformAdmin }
  })
}
