import { useEffect, useState, type DependencyList } from 'react'

export interface PollState<T> {
  data: T | undefined
  error: Error | undefined
}

/**
 * Runs `load` now and again `intervalMs` after each load settles (never overlapping); `null` loads once.
 * A failed load keeps the last data beside the error, so a view never blanks out on a transient failure.
 */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number | null, deps: DependencyList): PollState<T> {
  const [state, setState] = useState<PollState<T>>({ data: undefined, error: undefined })
  useEffect(() => {
    let active = true
    let timer: number | undefined
    const tick = async (): Promise<void> => {
      try {
        const data = await load()
        if (active) setState({ data, error: undefined })
      } catch (error) {
        if (active) setState((s) => ({ data: s.data, error: error instanceof Error ? error : new Error(String(error)) }))
      }
      if (active && intervalMs !== null) timer = window.setTimeout(() => void tick(), intervalMs)
    }
    void tick()
    return () => {
      active = false
      window.clearTimeout(timer)
    }
    // The caller lists what `load` depends on; `load` itself is a new closure on every render.
  }, deps)
  return state
}
