import { useEffect, useRef, useState } from 'react'
import { getFleetLatest, listSites, subscribe, type FleetItem, type LiveReadings, type Site } from './api'
import { applyLive } from './fleet'
import { usePoll } from './usePoll'

/** Live events are merged into the fleet at most this often: one render a second, whatever the fleet's rate. */
const APPLY_MS = 1000
/** A full reload now and then catches what the stream cannot say (new assets, changed ranges). */
const RESYNC_MS = 30_000
const SITES_POLL_MS = 60_000

export interface FleetState {
  items: readonly FleetItem[] | undefined
  sites: Site[] | undefined
  error: Error | undefined
  /** True while the live stream is connected. */
  live: boolean
}

/** The fleet's latest values, loaded once, kept current by the live stream, and reloaded every 30 s. */
export function useFleet(): FleetState {
  const fleet = usePoll(getFleetLatest, RESYNC_MS, [])
  const sites = usePoll(listSites, SITES_POLL_MS, [])
  const [items, setItems] = useState<readonly FleetItem[] | undefined>(undefined)
  const [live, setLive] = useState(false)
  const pending = useRef<LiveReadings[]>([])

  useEffect(() => {
    if (fleet.data !== undefined) setItems(fleet.data.items)
  }, [fleet.data])

  useEffect(() => {
    const stop = subscribe({
      readings: (event) => {
        pending.current.push(event)
      },
      status: setLive,
    })
    const timer = window.setInterval(() => {
      if (pending.current.length === 0) return
      const events = pending.current
      pending.current = []
      setItems((current) => (current === undefined ? current : applyLive(current, events)))
    }, APPLY_MS)
    return () => {
      stop()
      window.clearInterval(timer)
    }
  }, [])

  return { items, sites: sites.data?.items, error: fleet.error ?? sites.error, live }
}
