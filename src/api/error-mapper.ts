import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from '../logger.js'

/** The one place where error codes become HTTP statuses. */
const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INGEST_MALFORMED: 400,
  BAD_URL: 400,
  INGEST_REJECTED: 400,
  INVALID_REFERENCE: 400,
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_INVALID_TOKEN: 401,
  AUTH_FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INGEST_BATCH_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  STORE_UNAVAILABLE: 503,
  INGEST_BUSY: 503,
  // Model registry (issue 5)
  MODEL_NOT_FOUND: 404,
  MODEL_VERSION_NOT_FOUND: 404,
  DEPLOYMENT_NOT_FOUND: 404,
  DEPLOYMENT_INVALID: 400,
  MODEL_GATE_FAILED: 409,
  MODEL_NOT_DEPLOYED: 409,
  MODEL_REGISTRATION_INVALID: 400,
  MODEL_ARTIFACT_INVALID: 400,
  MODEL_SIGNATURE_MISMATCH: 400,
  MODEL_FORMAT_INVALID: 400,
  MODEL_FAMILY_UNKNOWN: 400,
  MODEL_RUNTIME_UNAVAILABLE: 501,
  TRAINING_SPEC_INVALID: 400,
  // Artifacts: the store is down, or lost or damaged what was registered (not the caller's fault).
  ARTIFACT_STORE_UNAVAILABLE: 503,
  ARTIFACT_NOT_FOUND: 503,
  ARTIFACT_CORRUPT: 503,
}

/** Fastify's own error codes, renamed into ours. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_BAD_URL: 'BAD_URL',
}

export interface ErrorBody {
  code: string
  message: string
  details?: unknown[]
}

interface AjvIssue {
  instancePath?: string
  params?: Record<string, unknown>
  message?: string
}

function validationDetails(err: FastifyError & { validation?: AjvIssue[]; validationContext?: string }): { field: string; reason: string }[] {
  return (err.validation ?? []).map((v) => {
    const missing = typeof v.params?.missingProperty === 'string' ? v.params.missingProperty : undefined
    const extra = typeof v.params?.additionalProperty === 'string' ? v.params.additionalProperty : undefined
    const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
    const field = [err.validationContext, path, missing ?? extra].filter(Boolean).join('.')
    return { field: field || String(err.validationContext ?? ''), reason: extra ? 'unknown field' : (v.message ?? 'is invalid') }
  })
}

/** Turns any thrown error into `{code, message, details}` with a stable code. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody } {
  const e = err as FastifyError & { details?: unknown[]; field?: string; validation?: AjvIssue[] }
  if (e.validation) {
    const details = validationDetails(e)
    return { status: 400, body: { code: 'VALIDATION_FAILED', message: details.map((d) => `${d.field}: ${d.reason}`).join('; '), details } }
  }
  const code = (e.code && FASTIFY_CODES[e.code]) ?? (e.code && STATUS_BY_CODE[e.code] ? e.code : undefined)
  if (code) {
    const body: ErrorBody = { code, message: e.message }
    if (e.details) body.details = e.details
    else if (e.field) body.details = [{ field: e.field, reason: e.message }]
    return { status: STATUS_BY_CODE[code] ?? 400, body }
  }
  if (e.statusCode === 429) return { status: 429, body: { code: 'RATE_LIMITED', message: e.message } }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, body: { code: 'BAD_REQUEST', message: e.message } }
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error; the server log has the details' } }
}

export function errorHandler(log: Logger) {
  return (err: unknown, req: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = toHttpError(err)
    const retryAfterSec = (err as { retryAfterSec?: unknown }).retryAfterSec
    if (typeof retryAfterSec === 'number') void reply.header('retry-after', String(retryAfterSec))
    if (status >= 500 && status !== 503) log.error({ err, url: req.url, method: req.method }, 'request failed')
    else if (status >= 500) log.warn({ code: body.code, url: req.url }, body.message)
    else log.debug({ code: body.code, message: body.message, url: req.url, method: req.method, status }, 'request refused')
    void reply.status(status).send(body)
  }
}
