/**
 * The controller's weights: a forward and a backward LSTM over the step sequence
 * and a softmax head shared by all steps over their concatenated hidden states.
 *
 * Both directions run in one recurrence (one matMul per step, not two): the
 * variables hold them side by side, gate-major, columns [i_f i_b f_f f_b g_f g_b o_f o_b]
 * (each H wide), the hidden state is [h_f h_b], the input is [x_t x_(T-1-t)]. The
 * blocks that would mix the directions are zero and are multiplied by a constant
 * 0/1 mask in every forward, so their gradient is zero and they stay zero.
 */
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../dnn/tfjs/seeded-random.ts';

export const GATES = 4; // i, f, g (cell candidate), o: the Keras order

export interface LstmWeights {
  featureSize: number;
  hiddenUnits: number;
  maxActions: number;
  /** [2F, 8H]: input kernel of both directions. */
  wx: tf.Variable;
  /** [2H, 8H]: recurrent kernel of both directions. */
  wh: tf.Variable;
  /** [8H]: gate biases (forget gates start at 1). */
  b: tf.Variable;
  /** [2H, A]: the softmax head. */
  wo: tf.Variable;
  /** [A]. */
  bo: tf.Variable;
  /** Constant 0/1 masks keeping the directions apart in wx and wh. */
  wxMask: tf.Tensor2D;
  whMask: tf.Tensor2D;
}

/** One direction's LSTM in plain arrays, gates in the order i, f, g, o (columns g*H .. g*H+H-1). */
export interface DirectionWeights {
  /** [F][4H] */
  kernel: number[][];
  /** [H][4H] */
  recurrent: number[][];
  /** [4H] */
  bias: number[];
}

/** The weights as plain arrays (to store a controller, or to check it by hand). */
export interface PlainLstmWeights {
  forward: DirectionWeights;
  backward: DirectionWeights;
  /** [2H][A]: rows 0..H-1 read the forward state, H..2H-1 the backward one. */
  headKernel: number[][];
  /** [A] */
  headBias: number[];
}

/** The direction (0 forward, 1 backward) a combined gate column belongs to. */
function columnDirection(col: number, hidden: number): number {
  return Math.floor(col / hidden) % 2;
}

function directionMask(rows: number, rowsPerDirection: number, hidden: number): Float32Array {
  const cols = 2 * GATES * hidden;
  const m = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const d = r < rowsPerDirection ? 0 : 1;
    for (let c = 0; c < cols; c++) m[r * cols + c] = columnDirection(c, hidden) === d ? 1 : 0;
  }
  return m;
}

/** Uniform values within ±limit where mask is 1, zero elsewhere. */
function uniformWhere(rng: SeededRandom, mask: Float32Array, limit: number): Float32Array {
  return mask.map((m) => (m === 1 ? (2 * rng.uniform() - 1) * limit : 0));
}

/**
 * Weights drawn from rng. The input kernel is LeCun-uniform (±sqrt(3/F): unit-variance gate inputs for
 * unit-scale features), not Glorot: Glorot's fan-out of 4H shrinks it to ±0.2, the steps' states then
 * differ little, the shared head moves them all together and REINFORCE settled on the majority target
 * at every step of the bandit test (seed 1, any learning rate tried). The recurrent kernel is
 * Glorot-uniform, the forget bias 1, the head within ±0.1 so the first policy is near uniform.
 */
export function initLstmWeights(rng: SeededRandom, featureSize: number, hiddenUnits: number, maxActions: number): LstmWeights {
  const F = featureSize;
  const H = hiddenUnits;
  const cols = 2 * GATES * H;
  const wxMaskValues = directionMask(2 * F, F, H);
  const whMaskValues = directionMask(2 * H, H, H);
  const bias = new Float32Array(cols);
  for (let c = 0; c < cols; c++) bias[c] = Math.floor(c / (2 * H)) === 1 ? 1 : 0;
  const head = new Float32Array(2 * H * maxActions).map(() => (2 * rng.uniform() - 1) * 0.1);
  // tidy drops the initial values; variables outlive it.
  const variable = (values: Float32Array, shape: number[]): tf.Variable => tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32')));
  return {
    featureSize: F,
    hiddenUnits: H,
    maxActions,
    wx: variable(uniformWhere(rng, wxMaskValues, Math.sqrt(3 / F)), [2 * F, cols]),
    wh: variable(uniformWhere(rng, whMaskValues, Math.sqrt(6 / (H + GATES * H))), [2 * H, cols]),
    b: variable(bias, [cols]),
    wo: variable(head, [2 * H, maxActions]),
    bo: variable(new Float32Array(maxActions), [maxActions]),
    wxMask: tf.tensor2d(wxMaskValues, [2 * F, cols]),
    whMask: tf.tensor2d(whMaskValues, [2 * H, cols]),
  };
}

export function trainableVariables(w: LstmWeights): tf.Variable[] {
  return [w.wx, w.wh, w.b, w.wo, w.bo];
}

export function disposeLstmWeights(w: LstmWeights): void {
  tf.dispose([...trainableVariables(w), w.wxMask, w.whMask]);
}

/** One direction's [rows][4H] block out of a combined [2*rows][8H] matrix. */
function directionBlock(values: Float32Array, rowsPerDirection: number, hidden: number, d: number): number[][] {
  const cols = 2 * GATES * hidden;
  const out: number[][] = [];
  for (let r = 0; r < rowsPerDirection; r++) {
    const row: number[] = [];
    for (let g = 0; g < GATES; g++) {
      for (let j = 0; j < hidden; j++) row.push(values[(d * rowsPerDirection + r) * cols + (2 * g + d) * hidden + j]);
    }
    out.push(row);
  }
  return out;
}

/** Reads the weights into plain arrays, each direction in the usual [i f g o] layout. */
export function readLstmWeights(w: LstmWeights): PlainLstmWeights {
  const F = w.featureSize;
  const H = w.hiddenUnits;
  const wx = w.wx.dataSync() as Float32Array;
  const wh = w.wh.dataSync() as Float32Array;
  const b = w.b.dataSync() as Float32Array;
  const direction = (d: number): DirectionWeights => ({
    kernel: directionBlock(wx, F, H, d),
    recurrent: directionBlock(wh, H, H, d),
    bias: Array.from({ length: GATES * H }, (_, k) => b[(2 * Math.floor(k / H) + d) * H + (k % H)]),
  });
  const wo = Array.from(w.wo.dataSync() as Float32Array);
  const A = w.maxActions;
  return {
    forward: direction(0),
    backward: direction(1),
    headKernel: Array.from({ length: 2 * H }, (_, r) => wo.slice(r * A, (r + 1) * A)),
    headBias: Array.from(w.bo.dataSync() as Float32Array),
  };
}
