import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AuthService } from '../auth/auth.service.js'
import { AuthRequiredError, ForbiddenError } from '../auth/errors.js'
import { can, type Permission, type Principal } from '../auth/permissions.js'

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal
  }
  interface FastifyContextConfig {
    /** What the route needs; `public` routes need no credentials. Every /v1 route without it needs `read`. */
    permission?: Permission | 'public' | 'platform'
  }
}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url.split('?')[0]!)
  } catch {
    return url
  }
}

/** The caller, for handlers of authenticated routes. */
export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new AuthRequiredError()
  return req.principal
}

/**
 * Authenticates before the body is read: unauthenticated callers never cost a parse.
 * Routes outside /v1 (static dashboard files, docs, health) are public unless they ask for a permission.
 */
export function authHook(auth: AuthService) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const declared = req.routeOptions.config?.permission
    if (declared === 'public') return
    // Decide on the route that matched, not the raw URL (which may be percent-encoded);
    // for no match, on the decoded path, so /v1/anything unknown still asks for credentials.
    const path = req.routeOptions.url ?? safeDecode(req.url)
    const needed: Permission | 'platform' | undefined = declared ?? (path === '/v1' || path.startsWith('/v1/') ? 'read' : undefined)
    if (!needed) return
    const header = req.headers.authorization
    const key = req.headers['x-api-key']
    let p: Principal
    if (typeof key === 'string' && key.length > 0) p = await auth.authenticateApiKey(key)
    else if (typeof header === 'string' && /^Bearer\s+/i.test(header)) p = await auth.authenticateBearer(header.replace(/^Bearer\s+/i, ''))
    else throw new AuthRequiredError()
    req.principal = p
    if (needed === 'platform') {
      if (!p.platformAdmin) throw new ForbiddenError('this needs a platform administrator')
    } else if (!can(p.role, needed)) {
      throw new ForbiddenError(`role '${p.role}' may not ${needed === 'read' ? 'read this' : needed === 'manage' ? 'manage users and keys' : needed}`)
    }
  }
}
