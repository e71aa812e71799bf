/** A reading for display: fewer decimals as the magnitude grows. */
export function formatValue(value: number): string {
  const magnitude = Math.abs(value)
  return (magnitude >= 100 ? ONE : magnitude >= 1 ? TWO : THREE).format(value)
}
// Made once: toLocaleString builds a formatter on every call, which shows when a list scrolls.
const ONE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })
const TWO = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
const THREE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 })

export function withUnit(value: number, unit: string | null): string {
  return unit === null || unit === '' ? formatValue(value) : `${formatValue(value)} ${unit}`
}

/** "3 s ago", "5 min ago", "2 h ago", "4 d ago". */
export function formatAge(ageMs: number): string {
  const sec = Math.max(0, Math.round(ageMs / 1000))
  if (sec < 60) return `${sec} s ago`
  if (sec < 3600) return `${Math.floor(sec / 60)} min ago`
  if (sec < 86_400) return `${Math.floor(sec / 3600)} h ago`
  return `${Math.floor(sec / 86_400)} d ago`
}

export function isOutOfRange(value: number, min: number | null, max: number | null): boolean {
  return (min !== null && value < min) || (max !== null && value > max)
}

/** "1.8 – 2.5 V", "≥ 5 °C", or null when the channel has no expected range. */
export function formatRange(min: number | null, max: number | null, unit: string | null): string | null {
  if (min !== null && max !== null) return `${formatValue(min)} – ${withUnit(max, unit)}`
  if (min !== null) return `≥ ${withUnit(min, unit)}`
  if (max !== null) return `≤ ${withUnit(max, unit)}`
  return null
}

/** A bucket width: "500 ms", "30 s", "5 min", "2 h", "1 d". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h`
  return `${Math.round(ms / 86_400_000)} d`
}
