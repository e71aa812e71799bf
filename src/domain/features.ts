/**
 * Stored feature snapshots: the rolling statistics of one channel over one window at
 * one time, as the features stage emits them and the FeatureStore keeps them.
 */

/** Statistics of one series over one window; `fftDominantHz`/`fftBands` null when the channel is too slow for FFT features. */
export interface FeatureRow {
  series: number
  windowSec: number
  /** Timestamp of the newest reading in the window (epoch ms). */
  ts: number
  count: number
  mean: number
  std: number
  min: number
  max: number
  /** Least-squares slope, value units per second. */
  slope: number
  last: number
  fftDominantHz: number | null
  fftBands: number[] | null
}
