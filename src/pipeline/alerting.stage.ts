/**
 * The alerting stage: feeds raw readings, feature vectors and predictions through each
 * tenant's rules (alerts/alert.engine.ts), stores every alert transition together with
 * its notifications (one transaction: alerts + outbox), publishes transitions on the bus
 * `alerts` topic (and so as SSE `alert` events), and wakes the delivery worker.
 *
 * Inputs:
 * - `readings` (consumer group `alerting-raw`): raw channel values, for threshold,
 *   rate-of-change and staleness rules on channels: the earliest a breach can be seen;
 * - `features` and `predictions` through the AlertingInput of pipeline/stages.ts: rules
 *   on features (`temp.w60.mean`) and on prediction kinds (alerts/alert.types.ts PREDICTION_KINDS).
 *
 * It also manages the tenant's rules, silences, channels and preferences, so that every
 * change reaches the running engine at once.
 */
import { AlertEngine, type AssetInfo, type EngineOutput } from '../alerts/alert.engine.js'
import type { AlertFilter, AlertStore } from '../alerts/alert.store.js'
import type { Alert, DeliveryOutcome, NotificationChannel, NotificationPreference, OutboxItem, Rule, RuleScope, Silence, Transition } from '../alerts/alert.types.js'
import { DEFAULT_RULES } from '../alerts/defaults.js'
import { AlertStateError, InvalidRuleError, type RuleProblem } from '../alerts/errors.js'
import { planNotifications, testNotification } from '../alerts/notify.plan.js'
import { SILENCE_MAX_HOURS, buildChannel, buildPreference, buildSilence, channelProblems, preferenceProblems, silenceProblems, type ChannelInput, type PreferenceInput, type SilenceInput } from '../alerts/objects.validate.js'
import { buildRule, type RuleContext, type RuleInput } from '../alerts/rule.validate.js'
import { isTimeZone } from '../domain/time.js'
import type { MetaStore } from '../store/ports.js'
import type { FeatureName } from '../features/feature-vector.js'
import { featureOf, type Alert as BusAlert, type Bus, type ReadingsMessage, type Subscription } from './bus.js'
import type { Catalog } from './catalog.js'
import { NotFoundError } from './errors.js'
import type { AlertingInput, AlertingStage, PipelineStages } from './stages.js'

export interface AlertingOptions {
  /** Prefix of dashboard links in alerts ('' = relative). */
  linkBase: string
  /** How often time-driven rules (staleness, pending, escalation, silences) are evaluated. */
  tickMs: number
  /** Install the default rules in each tenant once. */
  defaultRules: boolean
  flapWindowSec?: number
  flapMaxOpens?: number
  flapCalmSec?: number
}

export type AlertingEvent = { type: 'transitions'; tenantId: string; transitions: readonly Transition[]; outbox: number } | { type: 'error'; error: unknown; tenantId?: string }

export interface AlertingDeps {
  store: AlertStore
  meta: MetaStore
  catalog: Catalog
  bus: Bus
  /** Handed the notifications of each commit (leased to it at commit), and woken for retries. */
  delivery: {
    kick(): void
    submit?(items: readonly OutboxItem[], channels: ReadonlyMap<string, NotificationChannel>): void
    readonly leaseMs?: number
    /** Sends one item now, outside the outbox (channel tests). */
    sendNow?(item: OutboxItem, channel: NotificationChannel): Promise<DeliveryOutcome>
  } | null
  now?: () => number
  newId: () => string
  onEvent?: (e: AlertingEvent) => void
}

interface TenantState {
  engine: AlertEngine
  rules: Map<string, Rule>
  silences: Silence[]
  channels: NotificationChannel[]
  prefs: NotificationPreference[]
  assets: Map<string, AssetInfo>
  /**
   * Series key → the asset and channel a raw-reading rule watches, or null when none does:
   * decided once per series, not once per batch. Cleared when the rules or the assets change.
   */
  watched: Map<number, Watched | null>
  fleet: Promise<unknown> | null
  /** Settles when every commit queued so far is durable and published. */
  chain: Promise<void>
  /** Changes waiting for the commit in progress to end; they go in the next commit together. */
  queued: Pending[]
  committing: boolean
  /**
   * Ids of the alerts known to be stored and still live (pending, open, acknowledged): any other
   * alert in a commit is new, and is inserted without a conflict check (a hint to the store).
   */
  stored: Set<string>
}

/** One evaluation's output, ready to commit. */
interface Pending {
  changed: Alert[]
  dropped: string[]
  outbox: OutboxItem[]
  transitions: Transition[]
  channels: Map<string, NotificationChannel>
}

interface Watched {
  asset: AssetInfo
  channel: string
}

/** Bounds the per-tenant watch cache; past it the cache starts over. */
const MAX_WATCHED_SERIES = 1_000_000

const DEFAULTS_SETTING = (tenantId: string): string => `alerts.defaults.${tenantId}`

/** A transition as the bus and SSE carry it. */
export function toBusAlert(t: Transition): BusAlert {
  const a = t.alert
  return {
    assetId: a.assetId,
    ts: t.ts,
    source: a.ruleName,
    severity: a.severity,
    state: a.state === 'resolved' ? 'resolved' : 'open',
    message: a.message,
    details: { alertId: a.id, transition: t.kind, ruleId: a.ruleId, kind: a.kind, lifecycle: a.state, value: a.value, threshold: a.threshold, siteId: a.siteId, flapping: a.flapping, evidence: a.evidence },
  }
}

export class AlertingService implements AlertingStage {
  readonly name = 'alert-rules'
  private readonly tenants = new Map<string, Promise<TenantState>>()
  private readonly subs: Subscription[] = []
  private timer: NodeJS.Timeout | null = null
  private readonly now: () => number
  private ticking: Promise<void> = Promise.resolve()
  /** Tenants seen without rules loaded: checked once for default rules. */
  private readonly checked = new Set<string>()

  constructor(
    private readonly deps: AlertingDeps,
    private readonly opts: AlertingOptions,
  ) {
    this.now = deps.now ?? Date.now
  }

  /** Installs default rules, loads the tenants that have rules, subscribes to the pipeline and starts the clock. */
  async start(stages: PipelineStages, opts: { timer?: boolean } = {}): Promise<void> {
    if (this.opts.defaultRules) for (const t of await this.deps.meta.listTenants()) await this.installDefaults(t.id)
    for (const t of await this.deps.store.tenantsWithRules()) await this.tenant(t)
    stages.registerAlerting(this)
    this.subs.push(this.deps.bus.subscribe('readings', 'alerting-raw', (m) => this.onReadings(m)))
    if (opts.timer ?? true) {
      this.timer = setInterval(() => void this.tick(), this.opts.tickMs)
      this.timer.unref()
    }
  }

  /** Stops the clock and the subscriptions; waits for commits in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    for (const s of this.subs.splice(0)) s.unsubscribe()
    await this.ticking
    for (const t of this.tenants.values()) await (await t).chain
  }

  /** Installs the default rules in a tenant, once (a deleted default stays deleted). */
  async installDefaults(tenantId: string): Promise<number> {
    const key = DEFAULTS_SETTING(tenantId)
    if ((await this.deps.meta.getSetting(key)) !== null) return 0
    const ctx: RuleContext = { channelsInScope: () => null, channelExists: () => true, assetExists: () => true, siteExists: () => true }
    const now = this.now()
    for (const d of DEFAULT_RULES) await this.deps.store.putRule(buildRule(d.input, ctx, { id: d.id, tenantId, now }))
    await this.deps.meta.setSettingIfAbsent(key, String(now))
    await this.reloadRules(tenantId)
    return DEFAULT_RULES.length
  }

  private tenant(tenantId: string): Promise<TenantState> {
    let t = this.tenants.get(tenantId)
    if (!t) {
      t = this.load(tenantId)
      t.catch(() => this.tenants.delete(tenantId))
      this.tenants.set(tenantId, t)
    }
    return t
  }

  private async load(tenantId: string): Promise<TenantState> {
    const s = this.deps.store
    const [rules, silences, channels, prefs, active, pending] = await Promise.all([s.listRules(tenantId), s.listSilences(tenantId), s.listChannels(tenantId), s.listPreferences(tenantId), s.listAlerts(tenantId, { state: 'active', limit: 100_000 }), s.listAlerts(tenantId, { state: 'pending', limit: 100_000 })])
    const engine = new AlertEngine({ tenantId, newId: this.deps.newId, linkBase: this.opts.linkBase, flapWindowSec: this.opts.flapWindowSec, flapMaxOpens: this.opts.flapMaxOpens, flapCalmSec: this.opts.flapCalmSec })
    engine.setRules(rules)
    engine.setSilences(silences)
    const stored = new Set([...active, ...pending].map((a) => a.id))
    const st: TenantState = { engine, rules: new Map(rules.map((r) => [r.id, r])), silences, channels, prefs, assets: new Map(), watched: new Map(), fleet: null, chain: Promise.resolve(), queued: [], committing: false, stored }
    await this.refreshAssets(tenantId, st)
    engine.load([...active, ...pending], (id) => st.assets.get(id))
    return st
  }

  /** Asset types and sites, from the catalog (re-read whenever the catalog's fleet view changes). */
  private async refreshAssets(tenantId: string, st: TenantState): Promise<void> {
    const fleet = this.deps.catalog.fleet(tenantId)
    if (fleet === st.fleet) return
    const { assets } = await fleet
    st.fleet = fleet
    const next = new Map<string, AssetInfo>()
    for (const a of assets) {
      const info = { id: a.id, type: a.type, siteId: a.siteId }
      const old = st.assets.get(a.id)
      if (old && (old.type !== a.type || old.siteId !== a.siteId)) st.engine.invalidateAsset(a.id)
      next.set(a.id, info)
    }
    st.assets = next
    st.watched.clear()
  }

  private async assetOf(tenantId: string, st: TenantState, assetId: string): Promise<AssetInfo | undefined> {
    let a = st.assets.get(assetId)
    if (!a) {
      await this.refreshAssets(tenantId, st)
      a = st.assets.get(assetId)
    }
    return a
  }

  /** Raw readings: threshold, rate-of-change and staleness rules on channels. */
  async onReadings(m: ReadingsMessage): Promise<void> {
    const tenant = await this.loaded(m.tenantId)
    if (!tenant) return
    const st = await tenant
    const b = m.batch
    const now = this.now()
    const out: EngineOutput = { changed: [], transitions: [] }
    let lastKey = -1
    let w: Watched | null | undefined = null
    for (let i = 0; i < b.length; i++) {
      const key = b.series[i]!
      if (key !== lastKey) {
        lastKey = key
        w = st.watched.get(key)
        if (w === undefined) w = await this.watchedOf(m, st, key)
      }
      if (w) st.engine.observe(w.asset, w.channel, b.ts[i]!, b.value[i]!, now, out)
    }
    this.process(m.tenantId, st, out)
  }

  private async watchedOf(m: ReadingsMessage, st: TenantState, key: number): Promise<Watched | null> {
    const ref = m.series(key)
    const asset = ref ? await this.assetOf(m.tenantId, st, ref.assetId) : undefined
    const w = asset && st.engine.watches(asset, ref!.name) ? { asset, channel: ref!.name } : null
    if (st.watched.size >= MAX_WATCHED_SERIES) st.watched.clear()
    // An unknown series is not remembered: its asset may be cached a moment later.
    if (ref) st.watched.set(key, w)
    return w
  }

  /** Features and predictions (the pipeline's AlertingStage). Transitions are published by this service itself. */
  async evaluate(tenantId: string, input: AlertingInput): Promise<readonly BusAlert[]> {
    const tenant = await this.loaded(tenantId)
    if (!tenant) return []
    const st = await tenant
    const now = this.now()
    const out: EngineOutput = { changed: [], transitions: [] }
    if (input.kind === 'features') {
      for (const f of input.assets) {
        // Known assets without an await each: a batch is thousands of vectors.
        const asset = st.assets.get(f.assetId) ?? (await this.assetOf(tenantId, st, f.assetId))
        if (!asset) continue
        // A vector holds hundreds of features and rules watch a few: look those up, rather than walk the vector.
        for (const name of st.engine.watchedTargets(asset)) {
          const value = featureOf(f, name as FeatureName)
          if (typeof value === 'number') st.engine.observe(asset, name, f.ts, value, now, out)
        }
      }
    } else {
      for (const p of input.predictions) {
        const asset = st.assets.get(p.assetId) ?? (await this.assetOf(tenantId, st, p.assetId))
        if (asset) st.engine.observePrediction(asset, p, now, out)
      }
    }
    this.process(tenantId, st, out)
    return []
  }

  /** The tenant's state if it has rules; a tenant seen for the first time gets the default rules (when configured). */
  private async loaded(tenantId: string): Promise<Promise<TenantState> | undefined> {
    const t = this.tenants.get(tenantId)
    if (t || this.checked.has(tenantId)) return t
    this.checked.add(tenantId)
    if (this.opts.defaultRules) await this.installDefaults(tenantId)
    return this.tenants.get(tenantId)
  }

  /** Time-driven rules of every loaded tenant. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(async () => {
      const now = this.now()
      for (const [tenantId, t] of this.tenants) {
        try {
          const st = await t
          st.engine.setSilences(st.silences)
          this.process(tenantId, st, st.engine.tick(now))
        } catch (err) {
          this.deps.onEvent?.({ type: 'error', error: err, tenantId })
        }
      }
    })
    return this.ticking
  }

  /** Resolves once every commit queued so far is durable (tests, shutdown). */
  async settled(): Promise<void> {
    await this.ticking
    for (const t of this.tenants.values()) await (await t).chain
  }

  private process(tenantId: string, st: TenantState, out: EngineOutput): void {
    if (out.changed.length === 0 && out.transitions.length === 0 && !out.dropped?.length) return
    const changed = out.changed.map((a) => structuredClone(a))
    const transitions = [...out.transitions]
    const outbox: OutboxItem[] = transitions.length === 0 ? [] : planNotifications({ transitions, channels: st.channels, preferences: st.prefs, rules: st.rules, now: this.now(), newId: this.deps.newId })
    const delivery = this.deps.delivery
    // Leased to this process's worker from the start (wall clock: leases are compared with it), so it sends them without claiming.
    const fast = delivery?.submit !== undefined && delivery.leaseMs !== undefined
    if (fast) for (const o of outbox) o.leaseUntil = Date.now() + delivery.leaseMs!
    st.queued.push({ changed, dropped: out.dropped ?? [], outbox, transitions, channels: new Map(st.channels.map((c) => [c.id, c])) })
    if (!st.committing) {
      st.committing = true
      st.chain = this.drain(tenantId, st).finally(() => {
        st.committing = false
      })
    }
  }

  /**
   * Group commit: while one transaction is in flight, later evaluations queue, and the
   * next transaction takes all of them at once. Under a burst a transition waits for at
   * most one commit ahead of it, not for every one queued before it. Order is kept: the
   * store keeps the last version of an alert, and transitions publish in evaluation order.
   */
  private async drain(tenantId: string, st: TenantState): Promise<void> {
    const delivery = this.deps.delivery
    const fast = delivery?.submit !== undefined && delivery.leaseMs !== undefined
    while (st.queued.length > 0) {
      const batch = st.queued.splice(0)
      const changed = batch.flatMap((p) => p.changed)
      const outbox = batch.flatMap((p) => p.outbox)
      const dropped = batch.flatMap((p) => p.dropped)
      const created = new Set(changed.filter((a) => !st.stored.has(a.id)).map((a) => a.id))
      try {
        await this.deps.store.commit(changed, outbox, dropped, created)
      } catch (err) {
        this.deps.onEvent?.({ type: 'error', error: err, tenantId })
        continue
      }
      // The last version of each decides: a resolved alert changes no more, a dropped one is gone.
      const latest = new Map(changed.map((x) => [x.id, x]))
      for (const a of latest.values()) {
        if (a.state === 'resolved') st.stored.delete(a.id)
        else st.stored.add(a.id)
      }
      // Deleted only while still pending (store.commit).
      for (const id of dropped) if ((latest.get(id)?.state ?? 'pending') === 'pending') st.stored.delete(id)
      if (outbox.length > 0) {
        if (fast) for (const p of batch) if (p.outbox.length > 0) delivery.submit!(p.outbox, p.channels)
        if (!fast) delivery?.kick()
      }
      const transitions = batch.flatMap((p) => p.transitions)
      if (transitions.length > 0) {
        this.deps.onEvent?.({ type: 'transitions', tenantId, transitions, outbox: outbox.length })
        await this.deps.bus.publish('alerts', { tenantId, alerts: transitions.map(toBusAlert) }, transitions.length)
      }
    }
  }

  // ---- alerts -------------------------------------------------------------------------

  listAlerts(tenantId: string, filter: AlertFilter): Promise<Alert[]> {
    return this.deps.store.listAlerts(tenantId, filter)
  }

  async getAlert(tenantId: string, id: string): Promise<Alert> {
    const a = await this.deps.store.getAlert(tenantId, id)
    if (!a) throw new NotFoundError('alert', id)
    return a
  }

  async acknowledge(tenantId: string, id: string, by: string): Promise<Alert> {
    return this.manual(tenantId, id, by, 'acknowledge')
  }

  async resolve(tenantId: string, id: string, by: string): Promise<Alert> {
    return this.manual(tenantId, id, by, 'resolve')
  }

  private async manual(tenantId: string, id: string, by: string, what: 'acknowledge' | 'resolve'): Promise<Alert> {
    const stored = await this.getAlert(tenantId, id)
    const st = await this.tenant(tenantId)
    const out = what === 'acknowledge' ? st.engine.acknowledge(id, by, this.now()) : st.engine.resolveManually(id, by, this.now())
    if (!out) throw new AlertStateError(`alert '${id}' is ${stored.state}: it cannot be ${what === 'acknowledge' ? 'acknowledged' : 'resolved'}`)
    this.process(tenantId, st, out)
    await st.chain
    return out.changed[out.changed.length - 1]!
  }

  // ---- rules ----------------------------------------------------------------------------

  /** What rule validation checks against: the tenant's assets, channels, sites and notification channels. */
  async ruleContext(tenantId: string): Promise<RuleContext> {
    const { assets, channels } = await this.deps.catalog.fleet(tenantId)
    const sites = new Set((await this.deps.meta.tenant(tenantId).listSites()).map((s) => s.id))
    const notify = new Set((await this.deps.store.listChannels(tenantId)).map((c) => c.id))
    const byAsset = new Map<string, Set<string>>()
    for (const c of channels) {
      let s = byAsset.get(c.assetId)
      if (!s) byAsset.set(c.assetId, (s = new Set()))
      s.add(c.name)
    }
    return {
      channelsInScope(scope: RuleScope): Set<string> | null {
        const inScope = assets.filter((a) => (scope.kind === 'asset' ? a.id === scope.assetId : scope.kind === 'asset_type' ? a.type === scope.assetType : scope.kind === 'site' ? a.siteId === scope.siteId : true))
        if (inScope.length === 0 || scope.kind === 'tenant') return null
        const names = new Set<string>()
        for (const a of inScope) for (const n of byAsset.get(a.id) ?? []) names.add(n)
        return names
      },
      channelExists: (id) => notify.has(id),
      assetExists: (id) => assets.some((a) => a.id === id),
      siteExists: (id) => sites.has(id),
    }
  }

  listRules(tenantId: string): Promise<Rule[]> {
    return this.deps.store.listRules(tenantId)
  }

  async getRule(tenantId: string, id: string): Promise<Rule> {
    const r = await this.deps.store.getRule(tenantId, id)
    if (!r) throw new NotFoundError('rule', id)
    return r
  }

  /** Creates or replaces one rule (validated against the tenant's assets and channels). */
  async putRule(tenantId: string, input: RuleInput, id?: string): Promise<Rule> {
    const [rule] = await this.applyRules(tenantId, [{ ...input, ...(id ? { id } : {}) }])
    return rule!
  }

  /** Validates every rule first, then stores them all (a file applies whole or not at all). */
  async applyRules(tenantId: string, inputs: readonly RuleInput[]): Promise<Rule[]> {
    const ctx = await this.ruleContext(tenantId)
    const now = this.now()
    const problems: RuleProblem[] = []
    const rules: Rule[] = []
    const prefix = inputs.length > 1 ? (i: number) => `rules.${i}.` : () => ''
    for (const [i, input] of inputs.entries()) {
      const id = input.id ?? this.deps.newId()
      if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(id)) {
        problems.push({ field: `${prefix(i)}id`, reason: '1–128 letters, digits or _ . : -' })
        continue
      }
      try {
        const existing = input.id ? await this.deps.store.getRule(tenantId, input.id) : null
        rules.push(buildRule(input, ctx, { id, tenantId, now, ...(existing ? { createdAt: existing.createdAt } : {}) }))
      } catch (err) {
        if (!(err instanceof InvalidRuleError)) throw err
        problems.push(...err.details.map((d) => ({ field: `${prefix(i)}${d.field}`, reason: d.reason })))
      }
    }
    if (problems.length > 0) throw new InvalidRuleError(problems)
    for (const r of rules) await this.deps.store.putRule(r)
    await this.reloadRules(tenantId)
    return rules
  }

  async deleteRule(tenantId: string, id: string): Promise<void> {
    if (!(await this.deps.store.deleteRule(tenantId, id))) throw new NotFoundError('rule', id)
    await this.reloadRules(tenantId)
  }

  private async reloadRules(tenantId: string): Promise<void> {
    const st = await this.tenant(tenantId)
    const rules = await this.deps.store.listRules(tenantId)
    st.rules = new Map(rules.map((r) => [r.id, r]))
    st.engine.setRules(rules)
    st.watched.clear()
  }

  // ---- silences -------------------------------------------------------------------------

  listSilences(tenantId: string): Promise<Silence[]> {
    return this.deps.store.listSilences(tenantId)
  }

  async createSilence(tenantId: string, input: SilenceInput, by: string): Promise<Silence> {
    const { assets } = await this.deps.catalog.fleet(tenantId)
    const sites = new Set((await this.deps.meta.tenant(tenantId).listSites()).map((s) => s.id))
    const rules = await this.deps.store.listRules(tenantId)
    const now = this.now()
    const problems = silenceProblems(input, { asset: (id) => assets.some((a) => a.id === id), site: (id) => sites.has(id), rule: (id) => rules.some((r) => r.id === id) }, now)
    if (problems.length > 0) throw new InvalidRuleError(problems)
    const s = buildSilence(input, { id: this.deps.newId(), tenantId, by, now })
    await this.deps.store.putSilence(s)
    await this.reloadSilences(tenantId)
    return s
  }

  /**
   * Silences one alert's rule on its asset for `hours` from now (the alert's own "silence
   * for N hours"): what the alert would notify next is held back until the silence ends,
   * and a new alert of that rule and asset opens silenced meanwhile.
   */
  async silenceAlert(tenantId: string, id: string, input: { hours: number; reason?: string }, by: string): Promise<Silence> {
    const a = await this.getAlert(tenantId, id)
    if (!(Number.isFinite(input.hours) && input.hours > 0 && input.hours <= SILENCE_MAX_HOURS)) throw new InvalidRuleError([{ field: 'hours', reason: `must be more than 0 and at most ${SILENCE_MAX_HOURS}` }])
    const now = this.now()
    const s = await this.createSilence(tenantId, { kind: 'silence', assetId: a.assetId, ruleId: a.ruleId, startsAt: now, endsAt: now + Math.round(input.hours * 3_600_000), reason: input.reason ?? `silenced from alert ${a.id}` }, by)
    // Marks the open alert silenced now rather than at the next tick, so an escalation due meanwhile stays quiet.
    const st = await this.tenant(tenantId)
    this.process(tenantId, st, st.engine.tick(Math.max(this.now(), s.startsAt)))
    await st.chain
    return s
  }

  async deleteSilence(tenantId: string, id: string): Promise<void> {
    if (!(await this.deps.store.deleteSilence(tenantId, id))) throw new NotFoundError('silence', id)
    await this.reloadSilences(tenantId)
  }

  private async reloadSilences(tenantId: string): Promise<void> {
    const st = await this.tenant(tenantId)
    st.silences = await this.deps.store.listSilences(tenantId)
    st.engine.setSilences(st.silences)
  }

  // ---- channels and preferences ---------------------------------------------------------

  listChannels(tenantId: string): Promise<NotificationChannel[]> {
    return this.deps.store.listChannels(tenantId)
  }

  async getChannel(tenantId: string, id: string): Promise<NotificationChannel> {
    const c = await this.deps.store.getChannel(tenantId, id)
    if (!c) throw new NotFoundError('notification channel', id)
    return c
  }

  /** Creates a channel, or replaces one; secrets left as `***` keep their stored value. */
  async putChannel(tenantId: string, input: ChannelInput, id?: string): Promise<NotificationChannel> {
    const existing = id ? await this.deps.store.getChannel(tenantId, id) : null
    if (id && !existing) throw new NotFoundError('notification channel', id)
    const config = { ...input.config }
    if (existing) for (const [k, v] of Object.entries(config)) if (v === '***' && k in existing.config) config[k] = existing.config[k]
    const full = { ...input, config }
    const problems = channelProblems(full)
    if (problems.length > 0) throw new InvalidRuleError(problems)
    const c = buildChannel(full, { id: id ?? this.deps.newId(), tenantId, now: this.now(), ...(existing ? { createdAt: existing.createdAt } : {}) })
    await this.deps.store.putChannel(c)
    await this.reloadRouting(tenantId)
    return c
  }

  /**
   * Sends a test notification on a channel through its real sender, now, and answers how it
   * went: a refusal, a timeout or a missing recipient is an outcome, not an error.
   */
  async testChannel(tenantId: string, id: string, by: string): Promise<DeliveryOutcome> {
    const channel = await this.getChannel(tenantId, id)
    const sendNow = this.deps.delivery?.sendNow
    if (!sendNow) return { ok: false, code: 'NOTIFY_UNAVAILABLE', reason: 'this process delivers no notifications', permanent: true, latencyMs: 0 }
    const item = testNotification(channel, await this.deps.store.listPreferences(tenantId), { by, now: this.now(), newId: this.deps.newId })
    return sendNow.call(this.deps.delivery, item, channel)
  }

  async deleteChannel(tenantId: string, id: string): Promise<void> {
    if (!(await this.deps.store.deleteChannel(tenantId, id))) throw new NotFoundError('notification channel', id)
    await this.reloadRouting(tenantId)
  }

  listPreferences(tenantId: string): Promise<NotificationPreference[]> {
    return this.deps.store.listPreferences(tenantId)
  }

  async putPreference(tenantId: string, input: PreferenceInput, id?: string): Promise<NotificationPreference> {
    if (id && !(await this.deps.store.getPreference(tenantId, id))) throw new NotFoundError('notification preference', id)
    const channels = new Set((await this.deps.store.listChannels(tenantId)).map((c) => c.id))
    const users = new Set((await this.deps.meta.listUsers(tenantId)).map((u) => u.id))
    const problems = preferenceProblems(input, { user: (u) => users.has(u), channel: (c) => channels.has(c), zone: isTimeZone })
    if (problems.length > 0) throw new InvalidRuleError(problems)
    const p = buildPreference(input, { id: id ?? this.deps.newId(), tenantId, now: this.now() })
    await this.deps.store.putPreference(p)
    await this.reloadRouting(tenantId)
    return p
  }

  async deletePreference(tenantId: string, id: string): Promise<void> {
    if (!(await this.deps.store.deletePreference(tenantId, id))) throw new NotFoundError('notification preference', id)
    await this.reloadRouting(tenantId)
  }

  private async reloadRouting(tenantId: string): Promise<void> {
    const st = await this.tenant(tenantId)
    ;[st.channels, st.prefs] = await Promise.all([this.deps.store.listChannels(tenantId), this.deps.store.listPreferences(tenantId)])
  }

  // ---- dead letters ---------------------------------------------------------------------

  listDeadLetters(tenantId: string, limit?: number): Promise<OutboxItem[]> {
    return this.deps.store.listOutbox(tenantId, 'dead', limit)
  }

  async retryDeadLetter(tenantId: string, id: string): Promise<void> {
    if (!(await this.deps.store.retryDead(tenantId, id, this.now()))) throw new NotFoundError('dead letter', id)
    this.deps.delivery?.kick()
  }
}
