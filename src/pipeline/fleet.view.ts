import type { Channel, LatestValue } from '../domain/model.js'
import type { Catalog } from './catalog.js'
import type { LatestCache } from './latest.cache.js'

export interface FleetValue extends LatestValue {
  unit: string | null
  min: number | null
  max: number | null
}

export interface FleetLatestItem {
  assetId: string
  name: string
  type: string
  siteId: string | null
  parentId: string | null
  values: Record<string, FleetValue>
}

export interface FleetFilter {
  siteId?: string
  type?: string
}

/** A value of a kept answer: the channel's limits, and the live latest-cache slot behind ts and value. */
class LiveValue implements FleetValue {
  readonly unit: string | null
  readonly min: number | null
  readonly max: number | null
  constructor(
    readonly slot: LatestValue,
    c: Channel,
  ) {
    this.unit = c.unit
    this.min = c.min
    this.max = c.max
  }
  get ts(): number {
    return this.slot.ts
  }
  get value(): number {
    return this.slot.value
  }
  toJSON(): FleetValue {
    return { ts: this.slot.ts, value: this.slot.value, unit: this.unit, min: this.min, max: this.max }
  }
}

/** JSON has no NaN or Infinity: they are written as null, as JSON.stringify does. */
const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null')

/**
 * One asset of a kept answer, with its JSON cut into the parts that never change
 * (names, units, limits) around the slots whose ts and value appends update.
 */
class ItemView {
  /** `{"assetId":…,"values":{"<channel>":{"ts":` */
  private readonly heads: string[] = []
  private readonly slots: LatestValue[] = []
  /** `,"unit":…,"min":…,"max":…}` */
  private readonly tails: string[] = []
  private readonly open: string

  constructor(readonly item: FleetLatestItem) {
    const { values, ...rest } = item
    this.open = `${JSON.stringify(rest).slice(0, -1)},"values":{`
    let first = true
    for (const [name, v] of Object.entries(values)) {
      this.heads.push(`${first ? '' : ','}${JSON.stringify(name)}:{"ts":`)
      this.slots.push((v as LiveValue).slot)
      this.tails.push(`,"unit":${JSON.stringify(v.unit)},"min":${JSON.stringify(v.min)},"max":${JSON.stringify(v.max)}}`)
      first = false
    }
  }

  json(): string {
    let s = this.open
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i]!
      s += `${this.heads[i]!}${num(slot.ts)},"value":${num(slot.value)}${this.tails[i]!}`
    }
    return `${s}}}`
  }
}

interface Kept {
  fleet: object
  generation: number
  items: FleetLatestItem[]
  views: ItemView[]
}

/**
 * The fleet's latest values per tenant, built once and kept: the values are the latest
 * cache's slots, which appends update in place, so a call only checks that no asset,
 * channel or newly seen series changed since the build (then it is rebuilt), and its
 * JSON is written from prepared fragments and the current numbers.
 */
export class FleetView {
  private readonly kept = new Map<string, Kept>()

  constructor(
    private readonly catalog: Catalog,
    private readonly latest: LatestCache,
  ) {}

  async items(tenantId: string, filter: FleetFilter = {}): Promise<FleetLatestItem[]> {
    const { items } = await this.get(tenantId)
    return matchAll(filter) ? items : items.filter((a) => matches(a, filter))
  }

  /** The `/v1/fleet/latest` answer, `{"items":[…]}`, as JSON text. */
  async json(tenantId: string, filter: FleetFilter = {}): Promise<string> {
    const { views } = await this.get(tenantId)
    const all = matchAll(filter)
    let s = '{"items":['
    let first = true
    for (const v of views) {
      if (!all && !matches(v.item, filter)) continue
      s += first ? v.json() : `,${v.json()}`
      first = false
    }
    return `${s}]}`
  }

  /** Loads the latest values of every channel of the tenants and builds their answers. */
  async warm(tenantIds: readonly string[]): Promise<void> {
    const fleets = await Promise.all(tenantIds.map((t) => this.catalog.fleet(t)))
    await this.latest.warm(fleets.flatMap((f) => f.channels.map((c) => c.key)))
    for (const t of tenantIds) await this.get(t)
  }

  private async get(tenantId: string): Promise<Kept> {
    const fleet = await this.catalog.fleet(tenantId)
    const hit = this.kept.get(tenantId)
    if (hit && hit.fleet === fleet && hit.generation === this.latest.generation) return hit
    const latest = await this.latest.get(fleet.channels.map((c) => c.key))
    const generation = this.latest.generation
    const byAsset = new Map<string, FleetLatestItem>()
    for (const a of fleet.assets) byAsset.set(a.id, { assetId: a.id, name: a.name, type: a.type, siteId: a.siteId, parentId: a.parentId, values: {} })
    for (const c of fleet.channels) {
      const item = byAsset.get(c.assetId)
      const v = latest.get(c.key)
      if (item && v) item.values[c.name] = new LiveValue(v, c)
    }
    const items = [...byAsset.values()]
    const kept: Kept = { fleet, generation, items, views: items.map((i) => new ItemView(i)) }
    // A build that raced with a catalog change is not kept: the next call builds again.
    if ((await this.catalog.fleet(tenantId)) === fleet) this.kept.set(tenantId, kept)
    return kept
  }
}

const matchAll = (f: FleetFilter): boolean => f.siteId === undefined && f.type === undefined
const matches = (a: FleetLatestItem, f: FleetFilter): boolean => (f.siteId === undefined || a.siteId === f.siteId) && (f.type === undefined || a.type === f.type)
