import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ForbiddenError } from '../auth/errors.js'
import { NotFoundError } from '../pipeline/errors.js'
import type { ApiKeyRecord, UserRecord } from '../store/ports.js'
import { principal } from './auth.hook.js'
import type { ApiDeps } from './deps.js'
import { noContent } from './reply.js'
import { Id, IdParams, Items, RoleSchema, errors } from './schemas.js'

const Tenant = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.Integer() })
const User = Type.Object({ id: Type.String(), tenantId: Type.String(), username: Type.String(), role: RoleSchema, platformAdmin: Type.Boolean(), createdAt: Type.Integer() })
const ApiKey = Type.Object({
  id: Type.String({ description: 'also the MQTT username of devices using this key' }),
  tenantId: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  createdAt: Type.Integer(),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]),
})

const publicUser = ({ passwordHash: _hash, ...u }: UserRecord): Omit<UserRecord, 'passwordHash'> => u
const publicKey = ({ secretHash: _hash, ...k }: ApiKeyRecord): Omit<ApiKeyRecord, 'secretHash'> => k

/** Tenants (platform administrators), and users and API keys (tenant administrators). */
export function adminRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const meta = deps.stores.meta
  const manage = { permission: 'manage' as const }

  /** The tenant a call acts on: the caller's own, or any one for a platform administrator. */
  const targetTenant = async (req: FastifyRequest, requested?: string): Promise<string> => {
    const p = principal(req)
    if (!requested || requested === p.tenantId) return p.tenantId
    if (!p.platformAdmin) throw new ForbiddenError('only a platform administrator may act on another tenant')
    if (!(await meta.getTenant(requested))) throw new NotFoundError('tenant', requested)
    return requested
  }

  r.get('/v1/tenants', { config: { permission: 'platform' }, schema: { tags: ['admin'], response: { 200: Items(Tenant) } } }, async () => ({ items: await meta.listTenants() }))
  r.post(
    '/v1/tenants',
    { config: { permission: 'platform' }, schema: { tags: ['admin'], body: Type.Object({ id: Type.Optional(Id), name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: { 201: Tenant, ...errors(400, 409) } } },
    async (req, reply) => reply.status(201).send(await meta.createTenant(req.body)),
  )

  const platform = { permission: 'platform' as const }
  const TenantParams = Type.Object({ id: Type.String() })
  r.get('/v1/tenants/:id', { config: platform, schema: { tags: ['admin'], params: TenantParams, response: { 200: Tenant, ...errors(404) } } }, async (req) => {
    const t = await meta.getTenant(req.params.id)
    if (!t) throw new NotFoundError('tenant', req.params.id)
    return t
  })
  r.patch(
    '/v1/tenants/:id',
    { config: platform, schema: { tags: ['admin'], params: TenantParams, body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: Tenant, ...errors(400, 404) } } },
    async (req) => {
      const t = await meta.updateTenant(req.params.id, req.body)
      if (!t) throw new NotFoundError('tenant', req.params.id)
      return t
    },
  )
  r.delete('/v1/tenants/:id', { config: platform, schema: { tags: ['admin'], summary: 'Delete an empty tenant', params: TenantParams, response: errors(404, 409) } }, async (req, reply) => {
    if (!(await meta.deleteTenant(req.params.id))) throw new NotFoundError('tenant', req.params.id)
    return noContent(reply)
  })

  r.get(
    '/v1/users',
    { config: manage, schema: { tags: ['admin'], querystring: Type.Object({ tenantId: Type.Optional(Type.String()) }), response: { 200: Items(User) } } },
    async (req) => ({ items: (await meta.listUsers(await targetTenant(req, req.query.tenantId))).map(publicUser) }),
  )
  r.post(
    '/v1/users',
    {
      config: manage,
      schema: {
        tags: ['admin'],
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 8, maxLength: 1000 }), role: RoleSchema, tenantId: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: { 201: User, ...errors(400, 403, 409) },
      },
    },
    async (req, reply) => {
      const tenantId = await targetTenant(req, req.body.tenantId)
      const user = await deps.auth.createUser({ tenantId, username: req.body.username, password: req.body.password, role: req.body.role })
      return reply.status(201).send(publicUser(user))
    },
  )
  r.patch(
    '/v1/users/:id',
    {
      config: manage,
      schema: {
        tags: ['admin'],
        summary: "Change a user's role or password",
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({ role: Type.Optional(RoleSchema), password: Type.Optional(Type.String({ minLength: 8, maxLength: 1000 })) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: User, ...errors(400, 403, 404) },
      },
    },
    async (req) => {
      const user = await deps.auth.updateUser(principal(req), req.params.id, req.body)
      if (!user) throw new NotFoundError('user', req.params.id)
      return publicUser(user)
    },
  )
  r.delete('/v1/users/:id', { config: manage, schema: { tags: ['admin'], params: Type.Object({ id: Type.String() }), response: errors(404) } }, async (req, reply) => {
    if (!(await deps.auth.deleteUser(principal(req), req.params.id))) throw new NotFoundError('user', req.params.id)
    return noContent(reply)
  })

  r.get(
    '/v1/keys',
    { config: manage, schema: { tags: ['admin'], querystring: Type.Object({ tenantId: Type.Optional(Type.String()) }), response: { 200: Items(ApiKey) } } },
    async (req) => ({ items: (await meta.listApiKeys(await targetTenant(req, req.query.tenantId))).map(publicKey) }),
  )
  r.post(
    '/v1/keys',
    {
      config: manage,
      schema: {
        tags: ['admin'],
        summary: 'Create an API key; the key itself is shown only in this answer',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), role: RoleSchema, tenantId: Type.Optional(Type.String()) }, { additionalProperties: false }),
        response: { 201: Type.Intersect([ApiKey, Type.Object({ key: Type.String() })]), ...errors(400, 403) },
      },
    },
    async (req, reply) => {
      const tenantId = await targetTenant(req, req.body.tenantId)
      const { key, record } = await deps.auth.createApiKey(tenantId, req.body.name, req.body.role)
      return reply.status(201).send({ ...publicKey(record), key })
    },
  )
  r.delete('/v1/keys/:id', { config: manage, schema: { tags: ['admin'], summary: 'Revoke an API key', params: IdParams, response: errors(404) } }, async (req, reply) => {
    const p = principal(req)
    const ok = await deps.auth.revokeApiKey(req.params.id, p.platformAdmin ? undefined : p.tenantId)
    if (!ok) throw new NotFoundError('API key', req.params.id)
    return noContent(reply)
  })
}
