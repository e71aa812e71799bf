import { Ajv, type Options } from 'ajv'
import formats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

// ajv-formats is CommonJS: under NodeNext its function is the `default` of the module object.
const addFormats = formats.default

const BASE: Options = { useDefaults: true, removeAdditional: false, allErrors: true, strict: false }

/**
 * Request validation. Bodies are JSON and validated as they are: no coercion, so an
 * explicit `null` stays null and `"5"` is not a number. Querystrings and path parameters
 * arrive as text and are coerced to the schema's types.
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = new Ajv({ ...BASE, coerceTypes: false })
  const coercing = new Ajv({ ...BASE, coerceTypes: 'array' })
  addFormats(strict)
  addFormats(coercing)
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object)
}
