/**
 * Names for the parts of the generated API types (api.schema.ts, from the server's OpenAPI
 * document) that the dashboard uses. No hand-written shapes here: each type is what the route's
 * schema in src/api/ declares, so a server change that breaks the dashboard fails `tsc -p web`.
 */
import type { paths } from './api.schema.js'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>
type Responses<P extends keyof paths, M extends Method> = Op<P, M> extends { responses: infer R } ? R : never

/** The JSON body of a successful (200 or 201) answer to `M P`. */
export type Answer<P extends keyof paths, M extends Method = 'get'> = Json<Responses<P, M>[200 & keyof Responses<P, M>]> | Json<Responses<P, M>[201 & keyof Responses<P, M>]>
/** The JSON request body of `M P`. */
export type RequestBody<P extends keyof paths, M extends Method> = Op<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never
/** The query parameters of `M P`. */
export type QueryOf<P extends keyof paths, M extends Method = 'get'> = Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never
/** One element of the `items` of a list answer. */
export type Item<P extends keyof paths> = Answer<P> extends { items: (infer I)[] } ? I : never
