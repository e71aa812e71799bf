import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

const AXIS = '#a4abb6'
const GRID = 'rgba(204, 204, 220, 0.08)'
const LIMIT = '#ff9830'

/**
 * Bars per category (e.g. PSI per feature) with uPlot, and an optional dashed limit line
 * (e.g. PSI 0.2). One series per chart: two measures of different scales read better apart.
 */
export function BarChart(props: {
  categories: readonly string[]
  series: { label: string; values: readonly number[]; color: string }
  limit?: { value: number; label: string }
  height?: number
  testId?: string
  label: string
}) {
  const { categories, series, limit, height = 220, testId, label } = props
  const box = useRef<HTMLDivElement>(null)
  // Redraw when the figures change, not on every render of the page (callers pass fresh objects).
  const key = JSON.stringify([categories, series.label, series.values, limit])

  useEffect(() => {
    const el = box.current
    if (el === null || categories.length === 0) return
    const n = categories.length
    const x = categories.map((_, i) => i)
    const data: uPlot.AlignedData = [x, [...series.values]]
    if (limit) data.push(x.map(() => limit.value))
    const bars: uPlot.Series = {
      label: series.label,
      stroke: series.color,
      fill: series.color,
      width: 0,
      points: { show: false },
      paths: uPlot.paths.bars!({ size: [0.6, 80], align: 0 }),
      value: (_u: uPlot, v: number | null) => (v === null ? '–' : v.toFixed(3)),
    }
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      series: [
        { label: 'feature', value: (_u, v) => (v === null ? '' : (categories[v] ?? '')) },
        bars,
        ...(limit ? [{ label: limit.label, stroke: LIMIT, dash: [6, 4], width: 1, points: { show: false } }] : []),
      ],
      scales: { x: { time: false, range: [-0.5, n - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(max, limit?.value ?? 0) * 1.15 || 1] } },
      axes: [
        { stroke: AXIS, grid: { show: false }, ticks: { stroke: GRID }, splits: () => x, values: (_u, splits) => splits.map((i) => categories[i] ?? '') },
        { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } },
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { show: true },
    }
    const plot = new uPlot(opts, data, el)
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }))
    resize.observe(el)
    return () => {
      resize.disconnect()
      plot.destroy()
    }
  }, [key, height])

  if (categories.length === 0) return <p className="muted">Nothing to draw.</p>
  return <div ref={box} className="bar-chart" role="img" aria-label={label} data-testid={testId} />
}
