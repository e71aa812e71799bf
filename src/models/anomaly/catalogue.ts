/**
 * The built-in anomaly detector families. Importing this module registers them in the
 * model catalogue (`families`), so `families.create('mad')` and `families.fromJSON(…)` work.
 */
import './changepoint.model.js'
import './isolation-forest.model.js'
import './mad.model.js'
import './mahalanobis.model.js'
import './seasonal.model.js'
import './threshold.model.js'

/** Per-channel detectors: they read one value per channel (`StreamPoint.values` = channel → value). */
export const CHANNEL_DETECTORS = ['mad', 'seasonal', 'changepoint', 'threshold'] as const
/** Multivariate detectors: they read a feature vector (`StreamPoint.values` = feature → value). */
export const VECTOR_DETECTORS = ['isolation-forest', 'mahalanobis'] as const
export type DetectorName = (typeof CHANNEL_DETECTORS)[number] | (typeof VECTOR_DETECTORS)[number]
