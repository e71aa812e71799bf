import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { Series } from '../api'
import { formatValue, withUnit } from '../format'

/** [from, to] in epoch milliseconds. */
export type TimeRange = [from: number, to: number]

const HEIGHT_PX = 200
const LINE = '#5794f2'
const BAND = 'rgba(87, 148, 242, 0.22)'
const BAND_EDGE = 'rgba(87, 148, 242, 0.4)'
const LIMIT = '#ff9830'
const AXIS = '#a4abb6'
const GRID = 'rgba(204, 204, 220, 0.08)'
/** How much one wheel step zooms. */
const WHEEL_ZOOM = 1.25

interface ChartConfig {
  mode: Series['mode']
  unit: string | null
  min: number | null
  max: number | null
  syncKey: string
  onZoom: (range: TimeRange | null) => void
}

function toData(series: Series | undefined): uPlot.AlignedData {
  if (series === undefined) return [[], []]
  return series.mode === 'raw' ? [series.ts, series.value] : [series.ts, series.min, series.avg, series.max]
}

function chartOptions(width: number, { mode, unit, min, max, syncKey, onZoom }: ChartConfig): uPlot.Options {
  const value = (_u: uPlot, v: number | null): string => (v === null ? '–' : withUnit(v, unit))
  const series: uPlot.Series[] =
    mode === 'raw'
      ? [{ label: 'value', stroke: LINE, width: 1.5, value }]
      : [
          { label: 'min', stroke: BAND_EDGE, width: 1, points: { show: false }, value },
          { label: 'avg', stroke: LINE, width: 1.5, value },
          { label: 'max', stroke: BAND_EDGE, width: 1, points: { show: false }, value },
        ]
  const axis = { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } }

  return {
    width,
    height: HEIGHT_PX,
    ms: 1,
    series: [{ label: 'time' }, ...series],
    bands: mode === 'raw' ? [] : [{ series: [3, 1], fill: BAND }],
    scales: {
      // The x range is always set from outside: the selected window or the user's zoom.
      x: { time: true, auto: false },
      // Keep the expected range in view so the dashed limit lines always show.
      y: {
        range: (_u, dataMin, dataMax) => {
          const bounds = [dataMin, dataMax, min, max].filter((v): v is number => v !== null && Number.isFinite(v))
          return bounds.length === 0 ? [0, 1] : uPlot.rangeNum(Math.min(...bounds), Math.max(...bounds), 0.1, true)
        },
      },
    },
    axes: [axis, { ...axis, size: 64, values: (_u, splits) => splits.map((v) => formatValue(v)) }],
    cursor: {
      sync: { key: syncKey },
      drag: { x: true, y: false, setScale: false },
      // Double-click resets the zoom through onZoom, not uPlot's own fit-to-data.
      bind: { dblclick: () => null },
    },
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 3) return
          const range: TimeRange = [u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x')]
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
          onZoom(range)
        },
      ],
      draw: [
        (u) => {
          const { ctx, bbox } = u
          ctx.save()
          ctx.strokeStyle = LIMIT
          ctx.lineWidth = devicePixelRatio
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio])
          for (const limit of [min, max]) {
            if (limit === null) continue
            const y = Math.round(u.valToPos(limit, 'y', true))
            ctx.beginPath()
            ctx.moveTo(bbox.left, y)
            ctx.lineTo(bbox.left + bbox.width, y)
            ctx.stroke()
          }
          ctx.restore()
        },
      ],
    },
  }
}

interface TimeChartProps extends Omit<ChartConfig, 'mode'> {
  series: Series | undefined
  /** The x window to show. */
  range: TimeRange
}

/**
 * A uPlot time-series chart: a line for raw points, or the bucket average with a min–max band.
 * Dashed lines mark the expected range. Drag or Ctrl + wheel to zoom, double-click to reset (all reported through `onZoom`).
 */
export function TimeChart({ series, range, unit, min, max, syncKey, onZoom }: TimeChartProps) {
  const hostRef = useRef<HTMLDivElement>(null)
  const plotRef = useRef<uPlot | null>(null)
  const mode = series?.mode ?? 'raw'
  const [from, to] = range

  useEffect(() => {
    const host = hostRef.current
    if (host === null) return
    const plot = new uPlot(
      chartOptions(host.clientWidth, { mode, unit, min, max, syncKey, onZoom }),
      mode === 'raw' ? [[], []] : [[], [], [], []],
      host,
    )
    plotRef.current = plot
    const resize = new ResizeObserver(() => plot.setSize({ width: host.clientWidth, height: HEIGHT_PX }))
    resize.observe(host)
    plot.over.addEventListener('dblclick', () => onZoom(null))
    // Ctrl + wheel zooms around the pointer; a plain wheel still scrolls the page.
    plot.over.addEventListener(
      'wheel',
      (e) => {
        if (!e.ctrlKey) return
        e.preventDefault()
        const lo = plot.scales.x?.min
        const hi = plot.scales.x?.max
        if (lo === undefined || hi === undefined || lo === null || hi === null) return
        const at = plot.posToVal(e.offsetX, 'x')
        const factor = e.deltaY < 0 ? 1 / WHEEL_ZOOM : WHEEL_ZOOM
        onZoom([at - (at - lo) * factor, at + (hi - at) * factor])
      },
      { passive: false },
    )
    return () => {
      resize.disconnect()
      plot.destroy()
      plotRef.current = null
    }
  }, [mode, unit, min, max, syncKey, onZoom])

  // Runs after the effect above whenever that one re-creates the chart, since its dependencies are a superset.
  useEffect(() => {
    const plot = plotRef.current
    plot?.batch(() => {
      plot.setData(toData(series))
      plot.setScale('x', { min: from, max: to })
    })
  }, [series, from, to, mode, unit, min, max, syncKey, onZoom])

  return <div className="time-chart" ref={hostRef} />
}
