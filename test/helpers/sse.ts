import { expect } from 'vitest'

/** One Server-Sent Event as the stream sends it: its name and its parsed JSON data. */
export interface SseEvent<D> {
  event: string
  data: D
}

export interface CollectOptions<D> {
  /** Runs once the stream is open: what should cause the events. */
  act: () => Promise<void>
  /** Stops collecting as soon as it holds. */
  until: (events: SseEvent<D>[]) => boolean
  /** Keeps only the events it accepts (by name). Default: all. */
  accept?: (event: string) => boolean
  /** Gives up after this long, returning what came. Default 5 s. */
  timeoutMs?: number
}

/**
 * Opens `GET <url>` as an event stream and collects its events until `until` holds or the
 * deadline passes; then closes it.
 */
export async function collectSse<D>(url: string, headers: Record<string, string>, o: CollectOptions<D>): Promise<SseEvent<D>[]> {
  const ctrl = new AbortController()
  const res = await fetch(url, { headers, signal: ctrl.signal })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/)
  const reader = res.body!.getReader()
  const events: SseEvent<D>[] = []
  let text = ''
  const deadline = Date.now() + (o.timeoutMs ?? 5000)
  await o.act()
  while (!o.until(events) && Date.now() < deadline) {
    // A short timeout lets the loop re-check its condition while the stream is quiet.
    const { value, done } = await Promise.race([reader.read(), new Promise<{ value: undefined; done: false }>((r) => setTimeout(() => r({ value: undefined, done: false }), 300))])
    if (done) break
    if (value) text += new TextDecoder().decode(value)
    for (;;) {
      const cut = text.indexOf('\n\n')
      if (cut < 0) break
      const block = text.slice(0, cut)
      text = text.slice(cut + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (event && data && (o.accept?.(event) ?? true)) events.push({ event, data: JSON.parse(data) as D })
    }
  }
  ctrl.abort()
  return events
}
