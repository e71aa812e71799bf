/**
 * Rule evaluation and the alert state machine, for one tenant. Pure: values and the
 * time come in as arguments (a fake clock drives the tests), and every call returns the
 * alerts it changed and the transitions to notify; nothing is read or written here.
 *
 *   (condition holds) ──▶ pending ──(for-duration)──▶ open ──ack──▶ acknowledged
 *                            │                          │                │
 *                            └──(clears)──▶ dropped      └────(clears past hysteresis, or manual)──▶ resolved
 *
 * - One alert per rule and asset while it is not resolved.
 * - Flapping: a rule and asset that opened `flapMaxOpens` times within `flapWindowSec`
 *   is marked flapping and, once clear, resolves only after `flapCalmSec` of calm.
 * - Silences hold notifications back (the alert is kept and marked `silenced`); when the
 *   silence ends on a still-open alert it is notified then. Maintenance windows keep
 *   alerts from opening at all.
 * - Escalation: an open alert nobody acknowledged within the rule's `escalateAfterMin`.
 */
import type { Alert, Direction, Evidence, Rule, Severity, Silence, Transition } from './alert.types.js'
import { severityRank } from './alert.types.js'
import { PREDICTION_KIND_OF, channelOfTarget } from './rule.validate.js'

/** What the engine needs to know about an asset: where it is and what it is. */
export interface AssetInfo {
  id: string
  type: string
  siteId: string | null
}

/** A prediction as published on the bus (see pipeline/bus.ts Prediction). */
export interface PredictionInput {
  assetId: string
  ts: number
  source: string
  kind: string
  value: number
  details?: Record<string, unknown>
}

export interface EngineOptions {
  tenantId: string
  /** New alert ids. */
  newId: () => string
  /** Prefix of dashboard links, e.g. `https://prognos.example.com` ('' for relative links). */
  linkBase?: string
  flapWindowSec?: number
  flapMaxOpens?: number
  flapCalmSec?: number
  /** Values kept as evidence per alert. */
  evidenceValues?: number
}

/**
 * What a call changed: alerts to store (pending ones too, so that a restart resumes their
 * for-duration instead of starting it again), transitions to notify, and the ids of
 * pending alerts whose condition cleared before they opened (to delete).
 */
export interface EngineOutput {
  changed: Alert[]
  transitions: Transition[]
  dropped?: string[]
}

function drop(out: EngineOutput, a: Alert): void {
  ;(out.dropped ??= []).push(a.id)
}

export const DEFAULT_FLAP_WINDOW_SEC = 3600
export const DEFAULT_FLAP_MAX_OPENS = 3
export const DEFAULT_FLAP_CALM_SEC = 900
const DEFAULT_EVIDENCE_VALUES = 20
/** A chart link spans this long before the alert started, and after it. */
const LINK_BEFORE_MS = 3_600_000
const LINK_AFTER_MS = 900_000

interface KeyState {
  rule: Rule
  asset: AssetInfo
  /** The alert of this key, pending or active (not resolved). */
  alert: Alert | null
  /** When the condition started to hold (pending) or last cleared (while held open by flapping). */
  clearSince: number | null
  /** Open times within the flap window. */
  opens: number[]
  /** Manually resolved while the condition held: stays quiet until it clears once. */
  mutedUntilClear: boolean
  values: { ts: number; value: number }[]
  /** model_error: the last error's time. */
  lastEventTs: number
  modelVersion?: string
  channels?: string[]
}

interface Sample {
  ts: number
  value: number
}

const beyond = (dir: Direction, v: number, level: number): boolean => (dir === 'above' ? v >= level : v <= level)
const within = (dir: Direction, v: number, level: number, h: number): boolean => (dir === 'above' ? v > level - h : v < level + h)

/**
 * The severity a value gives under a rule, taking hysteresis into account: once firing at
 * a severity, the value must come back past that level by `hysteresis` to leave it.
 */
export function levelOf(rule: Pick<Rule, 'direction' | 'warning' | 'critical' | 'hysteresis'>, value: number, current: Severity | null): Severity | null {
  const { direction: d, warning: w, critical: c, hysteresis: h } = rule
  if (c !== undefined && (beyond(d, value, c) || (current === 'critical' && within(d, value, c, h)))) return 'critical'
  if (w !== undefined && (beyond(d, value, w) || (current !== null && within(d, value, w, h)))) return 'warning'
  // A rule with only a critical level: the band below it keeps it critical.
  if (w === undefined && c !== undefined && current !== null && within(d, value, c, h)) return 'critical'
  return null
}

/** Whether a rule covers an asset. */
export function inScope(rule: Rule, a: AssetInfo): boolean {
  switch (rule.scope.kind) {
    case 'asset':
      return rule.scope.assetId === a.id
    case 'asset_type':
      return rule.scope.assetType === a.type
    case 'site':
      return rule.scope.siteId === a.siteId
    case 'tenant':
      return true
  }
}

/** Whether a silence or maintenance window covers an alert of `ruleId` on asset `a` at `now`. */
export function silenceMatches(s: Silence, ruleId: string, a: { id: string; siteId: string | null }, now: number): boolean {
  if (now < s.startsAt || now >= s.endsAt) return false
  if (s.ruleId !== null && s.ruleId !== ruleId) return false
  if (s.assetId !== null && s.assetId !== a.id) return false
  if (s.siteId !== null && s.siteId !== a.siteId) return false
  return true
}

/** Dashboard link to an asset's chart from an hour before `ts` to 15 minutes after. */
export function chartLink(base: string, assetId: string, ts: number): string {
  return `${base}/#/assets/${encodeURIComponent(assetId)}?from=${ts - LINK_BEFORE_MS}&to=${ts + LINK_AFTER_MS}`
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4))

/** The one-line message of an alert. */
function messageOf(rule: Rule, assetId: string, value: number, threshold: number): string {
  const op = rule.direction === 'above' ? '≥' : '≤'
  switch (rule.kind) {
    case 'staleness':
      return `${rule.name}: no ${rule.target} from ${assetId} for ${fmt(value)} s (limit ${fmt(threshold)} s)`
    case 'rate_of_change':
      return `${rule.name}: ${rule.target} of ${assetId} changes ${fmt(value)}/s ${op} ${fmt(threshold)}/s`
    case 'forecast':
      return `${rule.name}: ${rule.target ?? 'forecast'} of ${assetId} will reach ${fmt(value)} (${op} ${fmt(threshold)}) within ${rule.withinHours} h`
    case 'model_error':
      return `${rule.name}: model errors on ${assetId}`
    case 'rul':
      return `${rule.name}: ${assetId} has ${fmt(value)} h of useful life left (${op} ${fmt(threshold)} h)`
    case 'health':
      return `${rule.name}: health of ${assetId} is ${fmt(value)} (${op} ${fmt(threshold)})`
    case 'threshold':
    case 'anomaly_score':
    case 'drift':
      return `${rule.name}: ${rule.target ?? rule.kind} of ${assetId} is ${fmt(value)} (${op} ${fmt(threshold)})`
  }
}

/**
 * One tenant's rules and alerts.
 *
 * @example
 * const engine = new AlertEngine({ tenantId: 't1', newId: () => crypto.randomUUID() })
 * engine.setRules(rules)
 * const { changed, transitions } = engine.observe(asset, 'temperature', ts, 61.5, Date.now())
 */
export class AlertEngine {
  private rules: Rule[] = []
  private silences: Silence[] = []
  private readonly keys = new Map<string, KeyState>()
  /** Raw samples per asset and target, for rate-of-change rules. */
  private readonly samples = new Map<string, Sample[]>()
  /** Last reading time per asset and target, for staleness rules. */
  private readonly lastSeen = new Map<string, { ts: number; asset: AssetInfo }>()
  /** Rules per asset per target (threshold, rate, staleness), built lazily. */
  private readonly index = new Map<string, Map<string, Rule[]>>()
  private readonly flapWindowMs: number
  private readonly flapMaxOpens: number
  private readonly flapCalmMs: number
  private readonly evidenceValues: number
  private readonly linkBase: string

  constructor(private readonly opts: EngineOptions) {
    this.flapWindowMs = (opts.flapWindowSec ?? DEFAULT_FLAP_WINDOW_SEC) * 1000
    this.flapMaxOpens = opts.flapMaxOpens ?? DEFAULT_FLAP_MAX_OPENS
    this.flapCalmMs = (opts.flapCalmSec ?? DEFAULT_FLAP_CALM_SEC) * 1000
    this.evidenceValues = opts.evidenceValues ?? DEFAULT_EVIDENCE_VALUES
    this.linkBase = opts.linkBase ?? ''
  }

  /** Replaces the rule set. Alerts of removed or disabled rules resolve at the next tick. */
  setRules(rules: readonly Rule[]): void {
    this.rules = rules.filter((r) => r.enabled)
    this.index.clear()
    for (const k of this.keys.values()) {
      const r = this.rules.find((x) => x.id === k.rule.id)
      if (r) k.rule = r
    }
  }

  setSilences(silences: readonly Silence[]): void {
    this.silences = [...silences]
  }

  /** Takes back the active and pending alerts stored before a restart (a pending one keeps its start). */
  load(alerts: readonly Alert[], assets: (id: string) => AssetInfo | undefined): void {
    for (const a of alerts) {
      if (a.state === 'resolved') continue
      const rule = this.rules.find((r) => r.id === a.ruleId)
      const asset = assets(a.assetId) ?? { id: a.assetId, type: '', siteId: a.siteId }
      if (!rule) continue
      const k = this.state(rule, asset)
      k.alert = { ...a }
      k.values = [...a.evidence.values]
    }
  }

  /** Alerts not resolved (pending ones included). */
  active(): Alert[] {
    return [...this.keys.values()].flatMap((k) => (k.alert ? [k.alert] : []))
  }

  /** Whether any enabled rule watches this target on this asset (lets callers skip the rest). */
  watches(asset: AssetInfo, target: string): boolean {
    return this.rulesFor(asset).has(target)
  }

  /** The targets (channels or features) that enabled rules watch on this asset. */
  watchedTargets(asset: AssetInfo): Iterable<string> {
    return this.rulesFor(asset).keys()
  }

  private rulesFor(asset: AssetInfo): Map<string, Rule[]> {
    let m = this.index.get(asset.id)
    if (!m) {
      m = new Map()
      for (const r of this.rules) {
        if (!r.target || PREDICTION_KIND_OF[r.kind] !== undefined || !inScope(r, asset)) continue
        const list = m.get(r.target)
        if (list) list.push(r)
        else m.set(r.target, [r])
      }
      this.index.set(asset.id, m)
    }
    return m
  }

  /** Forgets what the engine derived from an asset's type and site (call when they change). */
  invalidateAsset(assetId: string): void {
    this.index.delete(assetId)
  }

  private state(rule: Rule, asset: AssetInfo): KeyState {
    const key = `${rule.id}\u0000${asset.id}`
    let k = this.keys.get(key)
    if (!k) {
      k = { rule, asset, alert: null, clearSince: null, opens: [], mutedUntilClear: false, values: [], lastEventTs: 0 }
      this.keys.set(key, k)
    }
    k.asset = asset
    return k
  }

  /**
   * A value of a channel (a reading) or a feature (`temp.w60.mean`) of an asset at `ts`.
   * Evaluates the threshold, rate-of-change and staleness rules that watch it.
   */
  observe(asset: AssetInfo, target: string, ts: number, value: number, now: number, out: EngineOutput = { changed: [], transitions: [] }): EngineOutput {
    const rules = this.rulesFor(asset).get(target)
    if (!rules) return out
    const sk = `${asset.id}\u0000${target}`
    const seen = this.lastSeen.get(sk)
    if (!seen || ts > seen.ts) this.lastSeen.set(sk, { ts, asset })
    let samples: Sample[] | undefined
    for (const rule of rules) {
      switch (rule.kind) {
        case 'threshold':
          this.feed(rule, asset, ts, value, now, out)
          break
        case 'rate_of_change': {
          samples ??= this.sampled(sk, rules, ts, value)
          const rate = rateOf(samples, (rule.windowSec ?? 60) * 1000, rule.direction === 'below')
          if (rate !== null) this.feed(rule, asset, ts, rate, now, out, value)
          break
        }
        case 'staleness': {
          // Data arrived: a stale alert of this key clears (value 0 s).
          const k = this.keys.get(`${rule.id}\u0000${asset.id}`)
          if (k?.alert) this.apply(k, ts, 0, now, out)
          break
        }
        case 'anomaly_score':
        case 'health':
        case 'rul':
        case 'forecast':
        case 'drift':
        case 'model_error':
          break
      }
    }
    return out
  }

  /** Feeds a value to a key, creating the key's state only when the value fires (or the key exists). */
  private feed(rule: Rule, asset: AssetInfo, ts: number, value: number, now: number, out: EngineOutput, evidenceValue = value): void {
    const k = this.keys.get(`${rule.id}\u0000${asset.id}`)
    if (!k && levelOf(rule, value, null) === null) return
    this.apply(k ?? this.state(rule, asset), ts, value, now, out, evidenceValue)
  }

  private sampled(sk: string, rules: readonly Rule[], ts: number, value: number): Sample[] {
    let s = this.samples.get(sk)
    if (!s) this.samples.set(sk, (s = []))
    if (s.length > 0 && ts <= s[s.length - 1]!.ts) return s
    s.push({ ts, value })
    const keepMs = Math.max(...rules.map((r) => (r.windowSec ?? 60) * 1000))
    // Keep the newest sample at least the window old, and everything after it.
    let drop = 0
    while (drop + 1 < s.length && ts - s[drop + 1]!.ts >= keepMs) drop++
    if (drop > 0) s.splice(0, drop)
    return s
  }

  /** A prediction about an asset: evaluates the prediction rules of its kind. */
  observePrediction(asset: AssetInfo, p: PredictionInput, now: number, out: EngineOutput = { changed: [], transitions: [] }): EngineOutput {
    // A detector still learning the asset (issue 4's anomaly stage marks it) says nothing yet.
    if (p.details?.warmingUp === true) return out
    for (const rule of this.rules) {
      if (PREDICTION_KIND_OF[rule.kind] !== p.kind || !inScope(rule, asset)) continue
      if (rule.source !== undefined && rule.source !== p.source) continue
      const d = p.details ?? {}
      let value = p.value
      if (rule.kind === 'forecast') {
        if (rule.target !== undefined && d.channel !== rule.target) continue
        const horizon = typeof d.horizonHours === 'number' ? d.horizonHours : Infinity
        const bound = rule.direction === 'above' ? d.upper : d.lower
        value = typeof bound === 'number' ? bound : p.value
        // A forecast beyond the rule's horizon says nothing about it: treat as clear.
        if (horizon > (rule.withinHours ?? 24)) value = rule.direction === 'above' ? -Infinity : Infinity
      }
      // Keys are kept only once they fire: a fleet of healthy assets costs no state per rule.
      if (!this.keys.has(`${rule.id}\u0000${asset.id}`) && levelOf(rule, value, null) === null) continue
      const version = typeof d.modelVersion === 'string' ? d.modelVersion : typeof d.version === 'string' ? d.version : undefined
      const channels = Array.isArray(d.channels) ? d.channels.filter((c): c is string => typeof c === 'string') : typeof d.channel === 'string' ? [d.channel] : undefined
      const k = this.state(rule, asset)
      k.modelVersion = version ?? p.source
      if (channels) k.channels = channels
      if (rule.kind === 'model_error') k.lastEventTs = p.ts
      this.apply(k, p.ts, value, now, out)
    }
    return out
  }

  /**
   * Time passing: staleness, pending alerts whose for-duration elapsed, flapping alerts
   * that calmed down, model errors that stopped, escalations, silences that ended, and
   * alerts of rules that were removed.
   */
  tick(now: number, out: EngineOutput = { changed: [], transitions: [] }): EngineOutput {
    for (const rule of this.rules) {
      if (rule.kind !== 'staleness' || !rule.target) continue
      for (const [sk, seen] of this.lastSeen) {
        if (!sk.endsWith(`\u0000${rule.target}`) || !inScope(rule, seen.asset)) continue
        const ageSec = Math.max(0, (now - seen.ts) / 1000)
        const k = this.keys.get(`${rule.id}\u0000${seen.asset.id}`)
        if (k?.alert || ageSec >= (rule.warning ?? Infinity)) this.apply(k ?? this.state(rule, seen.asset), now, ageSec, now, out)
      }
    }
    for (const [key, k] of this.keys) {
      if (!this.rules.some((r) => r.id === k.rule.id)) {
        if (k.alert && k.alert.state !== 'pending') this.resolve(k, now, null, out)
        else if (k.alert) drop(out, k.alert)
        this.keys.delete(key)
        continue
      }
      if (k.rule.kind === 'model_error' && k.alert && now - k.lastEventTs >= (k.rule.staleSec ?? 600) * 1000) this.apply(k, now, 0, now, out)
      if (!k.alert) continue
      if (k.alert.state === 'pending' && now - k.alert.startedAt >= k.rule.forSec * 1000) this.open(k, now, out)
      else if (k.alert.state !== 'pending' && k.clearSince !== null && this.calm(k, now)) this.resolve(k, now, null, out)
      const a = k.alert
      if (!a) continue
      // A silence that began while the alert was open (e.g. "silence this alert for 4 h") holds back what follows.
      if (!a.silenced && a.state !== 'pending' && this.silenced(k, now)) {
        a.silenced = true
        a.updatedAt = now
        out.changed.push(a)
      }
      if (a.state === 'open' && k.rule.escalateAfterMin > 0 && a.escalatedAt === null && a.openedAt !== null && now - a.openedAt >= k.rule.escalateAfterMin * 60_000) {
        a.escalatedAt = now
        a.updatedAt = now
        this.emit(out, 'escalated', a, now)
      }
      if (a.silenced && a.state !== 'pending' && !this.silenced(k, now)) {
        a.silenced = false
        a.updatedAt = now
        if (a.state === 'open') this.emit(out, 'unsilenced', a, now)
        else out.changed.push(a)
      }
    }
    return out
  }

  /** Acknowledges an open alert: it stays until it clears, and is no longer escalated. */
  acknowledge(alertId: string, by: string, now: number): EngineOutput | null {
    const k = this.byAlert(alertId)
    if (!k?.alert || k.alert.state !== 'open') return null
    const a = k.alert
    a.state = 'acknowledged'
    a.acknowledgedAt = now
    a.acknowledgedBy = by
    a.updatedAt = now
    const out: EngineOutput = { changed: [], transitions: [] }
    this.emit(out, 'acknowledged', a, now)
    return out
  }

  /** Resolves an alert by hand; while its condition still holds, no new one opens. */
  resolveManually(alertId: string, by: string, now: number): EngineOutput | null {
    const k = this.byAlert(alertId)
    if (!k?.alert || k.alert.state === 'pending') return null
    const out: EngineOutput = { changed: [], transitions: [] }
    k.mutedUntilClear = true
    this.resolve(k, now, by, out)
    return out
  }

  private byAlert(alertId: string): KeyState | undefined {
    for (const k of this.keys.values()) if (k.alert?.id === alertId) return k
    return undefined
  }

  private silenced(k: KeyState, now: number, kind: Silence['kind'] = 'silence'): boolean {
    return this.silences.some((s) => (kind === 'maintenance' ? s.kind === 'maintenance' : true) && silenceMatches(s, k.rule.id, k.asset, now))
  }

  private calm(k: KeyState, now: number): boolean {
    if (k.clearSince === null) return false
    return !k.alert?.flapping || now - k.clearSince >= this.flapCalmMs
  }

  /** Feeds one value of a key through the state machine. */
  private apply(k: KeyState, ts: number, value: number, now: number, out: EngineOutput, evidenceValue = value): void {
    if (Number.isFinite(evidenceValue)) {
      k.values.push({ ts, value: evidenceValue })
      if (k.values.length > this.evidenceValues) k.values.splice(0, k.values.length - this.evidenceValues)
    }
    const a = k.alert
    const current = a ? a.severity : null
    const level = levelOf(k.rule, value, current)
    if (level === null) {
      k.mutedUntilClear = false
      if (!a) return
      if (a.state === 'pending') {
        k.alert = null
        drop(out, a)
        return
      }
      k.clearSince ??= now
      if (this.calm(k, now)) this.resolve(k, now, null, out)
      return
    }
    if (k.mutedUntilClear) return
    k.clearSince = null
    if (!a) {
      if (this.silenced(k, now, 'maintenance')) return
      k.alert = this.newAlert(k, level, ts, value, now)
      if (k.rule.forSec <= 0) this.open(k, now, out)
      else out.changed.push(k.alert)
      return
    }
    a.value = value
    a.evidence = this.evidence(k, ts)
    if (level !== a.severity) {
      const up = severityRank(level) > severityRank(a.severity)
      a.severity = level
      a.threshold = this.thresholdOf(k.rule, level)
      a.message = messageOf(k.rule, k.asset.id, value, a.threshold)
      a.updatedAt = now
      if (a.state === 'pending') {
        out.changed.push(a)
        return
      }
      if (up) this.emit(out, 'severity_changed', a, now)
      else out.changed.push(a)
      return
    }
    if (a.state === 'pending' && now - a.startedAt >= k.rule.forSec * 1000) this.open(k, now, out)
  }

  private thresholdOf(rule: Rule, s: Severity): number {
    return (s === 'critical' ? rule.critical : rule.warning) ?? rule.critical ?? rule.warning ?? 0
  }

  private evidence(k: KeyState, ts: number): Evidence {
    const r = k.rule
    const e: Evidence = {
      values: [...k.values],
      thresholds: { direction: r.direction, hysteresis: r.hysteresis, ...(r.warning !== undefined ? { warning: r.warning } : {}), ...(r.critical !== undefined ? { critical: r.critical } : {}) },
      channels: k.channels ?? (r.target ? [channelOfTarget(r.target)] : []),
      link: chartLink(this.linkBase, k.asset.id, k.alert?.startedAt ?? ts),
    }
    if (k.modelVersion !== undefined) e.modelVersion = k.modelVersion
    if (PREDICTION_KIND_OF[r.kind] !== undefined) e.source = r.source ?? k.modelVersion
    return e
  }

  private newAlert(k: KeyState, severity: Severity, ts: number, value: number, now: number): Alert {
    const threshold = this.thresholdOf(k.rule, severity)
    const a: Alert = {
      id: this.opts.newId(),
      tenantId: this.opts.tenantId,
      ruleId: k.rule.id,
      ruleName: k.rule.name,
      kind: k.rule.kind,
      assetId: k.asset.id,
      siteId: k.asset.siteId,
      severity,
      state: 'pending',
      message: messageOf(k.rule, k.asset.id, value, threshold),
      value,
      threshold,
      evidence: { values: [], thresholds: { direction: k.rule.direction, hysteresis: k.rule.hysteresis }, channels: [], link: '' },
      startedAt: now,
      openedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      resolvedBy: null,
      escalatedAt: null,
      flapping: false,
      silenced: false,
      updatedAt: now,
    }
    k.alert = a
    a.evidence = this.evidence(k, ts)
    return a
  }

  private open(k: KeyState, now: number, out: EngineOutput): void {
    const a = k.alert!
    a.state = 'open'
    a.openedAt = now
    a.updatedAt = now
    k.opens = k.opens.filter((t) => now - t < this.flapWindowMs)
    k.opens.push(now)
    if (k.opens.length >= this.flapMaxOpens) a.flapping = true
    a.silenced = this.silenced(k, now)
    this.emit(out, 'opened', a, now)
  }

  private resolve(k: KeyState, now: number, by: string | null, out: EngineOutput): void {
    const a = k.alert!
    a.state = 'resolved'
    a.resolvedAt = now
    a.resolvedBy = by
    a.updatedAt = now
    a.silenced = this.silenced(k, now)
    k.alert = null
    k.clearSince = null
    this.emit(out, 'resolved', a, now)
  }

  private emit(out: EngineOutput, kind: Transition['kind'], a: Alert, now: number): void {
    out.changed.push(a)
    out.transitions.push({ kind, alert: { ...a, evidence: { ...a.evidence, values: [...a.evidence.values] } }, ts: now })
  }
}

/**
 * Change per second of a series: from the newest sample at least `windowMs` old (or the
 * oldest one kept, unless `needFull`) to the newest sample. Null when it cannot be told yet.
 */
export function rateOf(s: readonly Sample[], windowMs: number, needFull: boolean): number | null {
  if (s.length < 2) return null
  const last = s[s.length - 1]!
  let first = s[0]!
  for (let i = s.length - 2; i >= 0; i--) {
    if (last.ts - s[i]!.ts >= windowMs) {
      first = s[i]!
      break
    }
  }
  const span = last.ts - first.ts
  if (span <= 0 || (needFull && span < windowMs)) return null
  return Math.abs(last.value - first.value) / (span / 1000)
}
