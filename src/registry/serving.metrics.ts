import { Counter, Histogram, type Registry } from 'prom-client'

/** What the router reports per served version. */
export interface ServingObserver {
  served(model: string, version: number, deployment: string, seconds: number, values: readonly number[]): void
  failed(model: string, version: number, deployment: string): void
}

/**
 * Per-version live metrics in Prometheus: request (row) count, latency, errors and the
 * distribution of the headline output.
 */
export class ServingMetrics implements ServingObserver {
  private readonly requests: Counter
  private readonly errors: Counter
  private readonly latency: Histogram
  private readonly output: Histogram

  constructor(registry: Registry) {
    const labelNames = ['model', 'version', 'deployment'] as const
    this.requests = new Counter({ name: 'prognos_model_predictions_total', help: 'Rows scored, per model version and deployment', labelNames, registers: [registry] })
    this.errors = new Counter({ name: 'prognos_model_errors_total', help: 'Scoring calls that failed, per model version and deployment', labelNames, registers: [registry] })
    this.latency = new Histogram({
      name: 'prognos_model_latency_seconds',
      help: 'Time to score one batch, per model version and deployment',
      labelNames,
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    })
    this.output = new Histogram({
      name: 'prognos_model_output',
      help: 'Distribution of the headline output (score, RUL …), per model version',
      labelNames: ['model', 'version'],
      buckets: [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1, 10, 100, 1000],
      registers: [registry],
    })
  }

  served(model: string, version: number, deployment: string, seconds: number, values: readonly number[]): void {
    const labels = { model, version: String(version), deployment }
    this.requests.inc(labels, values.length)
    this.latency.observe(labels, seconds)
    const h = this.output.labels(model, String(version))
    for (const v of values) if (Number.isFinite(v)) h.observe(v)
  }

  failed(model: string, version: number, deployment: string): void {
    this.errors.inc({ model, version: String(version), deployment })
  }
}
