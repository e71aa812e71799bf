/**
 * Worker threads of the platform's own modules, from the build or from TypeScript sources.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * A worker running the module next to `base` named `name` without its extension
 * (`startWorker(import.meta.url, './parse.worker', …)`): the built `.js`, or, when the
 * caller runs from TypeScript sources (tests, development), the `.ts` through tsx's loader.
 */
export function startWorker(base: string, name: string, opts: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`${name}.js`, base), opts)
  // The ESM build of tsx's register API, found through tsx's own exports map.
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json')
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> }
  const tsx = join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)
  const entry = new URL(`${name}.ts`, base).href
  return new Worker(`import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`, { ...opts, eval: true })
}
