/**
 * A device profile: what the latency model knows about one device (or the cloud
 * server), fitted by calibration. Units: milliseconds, MACCs (multiply-accumulates,
 * paper Eq. 4, 5), bytes, Mbit/s (1e6 bit/s).
 */
import type { Runtime } from './runtime.ts';

/** Layer types with a compute line; every other layer costs `otherLayerMs`. */
export type ComputeLayerType = 'conv' | 'depthwise' | 'fc';
export const COMPUTE_LAYER_TYPES: readonly ComputeLayerType[] = ['conv', 'depthwise', 'fc'];

/**
 * Latency of one layer as a linear function of its MACCs (paper Sec. IV-B: the same
 * line for all FC layers of a device, one line per kernel size for conv layers):
 * latencyMs = interceptMs + slopeMsPerMacc * macc, plus slopeMsPerWeight * weights and
 * slopeMsPerPatch * patches where the line has those terms (latency/fit/fit-line-terms.ts):
 * a conv on a 2x2 map with 512 channels reads 2.4M weights for only 4 output pixels, and
 * on ONNX Runtime here ran up to 4x its MACC line.
 */
export interface ComputeLine {
  layerType: ComputeLayerType;
  /** Square kernel size k for conv / depthwise; null for fc. */
  kernel: number | null;
  /** Milliseconds per MACC (>= 0). */
  slopeMsPerMacc: number;
  /** Milliseconds at zero MACCs; a fit may make it negative (a layer then never costs less than 0). */
  interceptMs: number;
  /** Milliseconds per weight (parameter) of the layer (>= 0); absent: the line has no weight term. */
  slopeMsPerWeight?: number;
  /** Milliseconds per im2col patch element (MACC / output channels, >= 0); absent: no patch term. */
  slopeMsPerPatch?: number;
  /** Coefficient of determination of the fit, 0..1, when known. */
  r2?: number;
  /** Number of measurements the line was fitted on, when known. */
  points?: number;
}

/**
 * Layer types without MACCs whose cost still grows with the tensor they touch (on
 * WASM a BN over 32x32x64 costs ~10x a BN over 8x8x64): each may have an element line.
 */
export type ElementLayerType = 'bn' | 'activation' | 'add' | 'concat' | 'maxpool' | 'avgpool' | 'gap' | 'flatten';
export const ELEMENT_LAYER_TYPES: readonly ElementLayerType[] = ['bn', 'activation', 'add', 'concat', 'maxpool', 'avgpool', 'gap', 'flatten'];

/**
 * Latency of one zero-MACC layer as a linear function of the number of float elements
 * it touches (output elements; input elements for gap, see layerElements):
 * latencyMs = interceptMs + slopeMsPerElement * elements. The paper ignores these
 * layers; on backends such as WASM they are a few percent of a model's time.
 */
export interface ElementLine {
  layerType: ElementLayerType;
  /** Milliseconds per element (>= 0). */
  slopeMsPerElement: number;
  /** Milliseconds at zero elements (a layer never costs less than 0). */
  interceptMs: number;
  r2?: number;
  points?: number;
}

/**
 * The transfer model f(S|W) of paper Eq. 6 at one bandwidth W: the delay of the first
 * packet, linear in the size S: f(S|W) = interceptMs + slopeMsPerByte * S.
 */
export interface TransferLine {
  /** The bandwidth W this line was fitted at, Mbit/s (> 0). */
  bandwidthMbps: number;
  /** Milliseconds. */
  interceptMs: number;
  /** Milliseconds per byte. */
  slopeMsPerByte: number;
}

/**
 * Lines measured with the caches flushed before each run. Between two runs of one layer
 * a model touches all its other weights: when they exceed the last-level cache, the layer
 * finds its weights in memory, not in the cache the micro-benchmark's repeats left them
 * in, and is slower per MACC. A model (or the part of it a device runs) whose weights
 * exceed `cacheBytes` is estimated with these lines.
 */
export interface ColdLines {
  /** Last-level cache of the device, bytes (> 0). */
  cacheBytes: number;
  /** At most one line per (layerType, kernel). */
  compute: ComputeLine[];
  elementLines?: ElementLine[];
}

/** Where a device's last-level cache size was read, first that answers: sysfs, /proc/cpuinfo, getconf, lscpu. */
export type CacheSizeSource = 'sysfs' | 'cpuinfo' | 'getconf' | 'lscpu';
export const CACHE_SIZE_SOURCES: readonly CacheSizeSource[] = ['sysfs', 'cpuinfo', 'getconf', 'lscpu'];

/** The last-level cache as calibration found it: its size and where that came from, or that no source answered. */
export type LastLevelCache = { bytes: number; source: CacheSizeSource } | { bytes: null; source: 'unknown' };

/** The cache size the runtime showed: past `bytes` of weights, a warm repeat ran slower per weight. */
export interface CacheProbe {
  /** Null: no knee up to the largest probe (the runtime was not held up by memory). */
  bytes: number | null;
  /** The largest probe's time per weight over the smallest's. */
  memoryRatio: number;
}

export interface DeviceProfile {
  formatVersion: 1;
  /** A name people recognise, e.g. "Pixel 4 / tflite-cpu 4 threads". */
  name: string;
  device: {
    /** Stable id (ADB serial, SSH host, "local", "cloud"). */
    id: string;
    model?: string;
    os?: string;
    /** CPU ABI, e.g. arm64-v8a. */
    abi?: string;
    /** CPU cores used. */
    cores?: number;
  };
  /** The runner and backend measured, in words, e.g. "onnxruntime 1.30.0 (cpu, 1 thread)". */
  backend?: string;
  /** The inference runtime calibrated; absent in profiles made before it was recorded (TF.js, see runtimeOf). */
  runtime?: Runtime;
  /** ISO 8601 time the profile was fitted. */
  createdAt?: string;
  /** At most one line per (layerType, kernel). */
  compute: ComputeLine[];
  /**
   * Fixed cost in ms of every layer that is not conv / depthwise / fc and has no element
   * line (pooling, BN, ...); default 0, as the paper ignores them.
   */
  otherLayerMs?: number;
  /** At most one line per zero-MACC layer type; a type with a line costs by its elements, not otherLayerMs. */
  elementLines?: ElementLine[];
  /**
   * The speed reference (a fixed 3x3 conv timed beside every case) at its median over the
   * calibration: the lines are scaled to that speed, and a validation that times the reference
   * again can tell the device's speed then from the profile's errors (latency/speed-reference.ts).
   */
  reference?: { id: string; ms: number };
  /** The device's last-level cache and its source; absent in profiles made before it was recorded, or not calibrated here. */
  cache?: LastLevelCache;
  /** What the cache probe found (latency/fit/cache-knee.ts); when it found a knee, cold.cacheBytes is that knee. */
  cacheProbe?: CacheProbe;
  /** Cache-cold lines for models whose weights exceed the cache; absent: the lines above serve every model. */
  cold?: ColdLines;
  /**
   * f(S|W) sampled at some bandwidths (distinct). Between two, interceptMs and
   * slopeMsPerByte are interpolated linearly in log W; outside, the nearest line is
   * used (clamped). Empty: f = 0, the transfer costs only S/W.
   */
  transfer: TransferLine[];
}
