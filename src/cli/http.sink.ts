import type { FeedAsset, FeedRecord, FeedSink, FeedSite } from '../pipeline/fleet.feeder.js'

/** Sends a feed to a running platform through its public API, as a device gateway would. */
export class HttpSink implements FeedSink {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  private async call(method: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
      body: JSON.stringify(body),
    })
    const text = await res.text()
    const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>
    if (res.status >= 400 && res.status !== 409) {
      const err = new Error(`${method} ${path} answered ${res.status} ${String(json.code ?? '')}: ${String(json.message ?? text)}`)
      throw err
    }
    return { status: res.status, json }
  }

  async provision(sites: readonly FeedSite[], assets: readonly FeedAsset[]): Promise<void> {
    for (const s of sites) await this.call('POST', '/v1/sites', { id: s.id, name: s.name, latitude: s.latitude, longitude: s.longitude, timezone: s.timezone })
    for (const a of assets) {
      const { channels, ...rest } = a
      const r = await this.call('POST', '/v1/assets', { ...rest, channels: channels.map((c) => ({ name: c.name, unit: c.unit ?? null, min: c.min ?? null, max: c.max ?? null })) })
      // The asset existed already: declare its channels one by one (idempotent).
      if (r.status === 409) for (const c of channels) await this.call('POST', `/v1/assets/${encodeURIComponent(a.id)}/channels`, { name: c.name, unit: c.unit ?? null, min: c.min ?? null, max: c.max ?? null })
    }
  }

  async send(records: FeedRecord[]): Promise<{ accepted: number; refused: number }> {
    const r = await this.call('POST', '/v1/ingest', { records })
    return { accepted: Number(r.json.accepted ?? 0), refused: Array.isArray(r.json.refused) ? r.json.refused.length : 0 }
  }
}
