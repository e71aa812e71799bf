import type { FastifyReply } from 'fastify'

/** 204 with no body (typed routes otherwise demand a body matching their response schema). */
export function noContent(reply: FastifyReply): FastifyReply {
  return reply.status(204).send()
}
