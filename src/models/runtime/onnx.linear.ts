/**
 * Writes small ONNX models byte by byte (protobuf wire format through protobufjs's Writer):
 * y = x · W + b as MatMul + Add. The ONNX tests and `bench/predict` build their models with
 * it, so nothing is fetched from outside; it is also a minimal example of what
 * `prognos models import` takes (one float input [batch, features], one output [batch, k]).
 */
import protobuf from 'protobufjs'

type W = protobuf.Writer
const LEN = 2
const VARINT = 0
const tag = (w: W, field: number, wire: number): W => w.uint32((field << 3) | wire)
const str = (w: W, field: number, s: string): W => tag(w, field, LEN).string(s)
const msg = (w: W, field: number, body: (w: W) => void): W => {
  tag(w, field, LEN).fork()
  body(w)
  return w.ldelim()
}

const FLOAT = 1

function tensor(w: W, field: number, name: string, dims: number[], values: number[]): void {
  msg(w, field, (t) => {
    for (const d of dims) tag(t, 1, VARINT).int64(d)
    tag(t, 2, VARINT).int32(FLOAT)
    str(t, 8, name)
    const raw = new Uint8Array(new Float32Array(values).buffer)
    tag(t, 9, LEN).bytes(raw)
  })
}

/** A ValueInfoProto of a float tensor; a string dim is symbolic (the batch). */
function valueInfo(w: W, field: number, name: string, dims: (number | string)[]): void {
  msg(w, field, (v) => {
    str(v, 1, name)
    msg(v, 2, (tp) =>
      msg(tp, 1, (tt) => {
        tag(tt, 1, VARINT).int32(FLOAT)
        msg(tt, 2, (shape) => {
          for (const d of dims) msg(shape, 1, (dim) => (typeof d === 'number' ? tag(dim, 1, VARINT).int64(d) : str(dim, 2, d)))
        })
      }),
    )
  })
}

function node(w: W, opType: string, inputs: string[], outputs: string[], name: string): void {
  msg(w, 1, (n) => {
    for (const i of inputs) str(n, 1, i)
    for (const o of outputs) str(n, 2, o)
    str(n, 3, name)
    str(n, 4, opType)
  })
}

/** y[batch, k] = x[batch, d] · weights[d][k] + bias[k], as an ONNX file (opset 13). */
export function linearOnnx(weights: number[][], bias: number[]): Uint8Array {
  const d = weights.length
  const k = bias.length
  const w = protobuf.Writer.create()
  tag(w, 1, VARINT).int64(8) // ir_version
  str(w, 2, 'prognos-test')
  msg(w, 7, (g) => {
    node(g, 'MatMul', ['x', 'W'], ['xw'], 'matmul')
    node(g, 'Add', ['xw', 'b'], ['y'], 'add')
    str(g, 2, 'linear')
    tensor(g, 5, 'W', [d, k], weights.flat())
    tensor(g, 5, 'b', [k], bias)
    valueInfo(g, 11, 'x', ['batch', d])
    valueInfo(g, 12, 'y', ['batch', k])
  })
  msg(w, 8, (o) => {
    str(o, 1, '')
    tag(o, 2, VARINT).int64(13)
  })
  return w.finish()
}
