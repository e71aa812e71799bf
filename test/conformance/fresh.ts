import { afterEach } from 'vitest'
import type { Stores } from '../../src/store/ports.js'

/**
 * For a conformance suite: `fresh()` opens a new set of stores through the adapter's `open`,
 * and every set opened in a test is closed after it.
 */
export function freshStores(open: () => Promise<Stores>): () => Promise<Stores> {
  const opened: Stores[] = []
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close()
  })
  return async () => {
    const s = await open()
    opened.push(s)
    return s
  }
}
