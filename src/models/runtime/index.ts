import type { Flavour } from '../../store/registry.ports.js'
import { builtinRuntime } from './builtin.runtime.js'
import { onnxRuntime } from './onnx.runtime.js'
import type { RuntimeAdapter } from './runtime.js'
import { tfjsRuntime } from './tfjs.runtime.js'
import { xgboostRuntime } from './xgboost.runtime.js'

/** The runtime adapter of every flavour. */
export const RUNTIMES: Record<Flavour, RuntimeAdapter> = { builtin: builtinRuntime, onnx: onnxRuntime, tfjs: tfjsRuntime, xgboost: xgboostRuntime }
export * from './runtime.js'
