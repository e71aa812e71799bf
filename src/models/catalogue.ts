/**
 * Every built-in model family. Importing this module registers them all in the model
 * catalogue (`families`), so the registry's built-in flavour can restore any version and
 * `prognos eval nab --detector <family>` can run any single-channel detector.
 */
import './anomaly/catalogue.js'
import './anomaly/context.model.js'
import './anomaly/zscore.model.js'
import './anomaly/asset-ensemble.model.js'
import './rul/cmapss-rul.model.js'
import './forecast/load-forecast.model.js'
import './battery/capacity-fade.model.js'
import './battery/cycle-life.model.js'

export { families } from './families.js'
