/**
 * How the Node runner is started for a runtime on a device: its extra arguments and
 * environment. TF.js runs from the bundle alone; ONNX Runtime needs onnxruntime-node on the
 * device, which this computer has among the studio's own packages (a board must have it
 * installed where its Node finds it). TFLite and TensorRT are timed by their own tools, not
 * by this runner.
 */
import { parseLocalDeviceId } from '../native-bridge/local-transport.ts';
import { projectFile } from '../profiler/project-files.ts';
import type { Runtime } from '../latency/runtime.ts';
import { DEVICE_BACKEND_ENV } from '../engine/device-backend-env.ts';
import { CalibrationRequestError } from './calibration-request-error.ts';

export interface RunnerLaunch {
  args: string[];
  env: Record<string, string>;
}

export function runnerLaunch(deviceId: string, runtime: Runtime): RunnerLaunch {
  switch (runtime) {
    case 'tfjs-wasm':
      return { args: [], env: {} };
    case 'tfjs-node':
      // By name: a device without @tensorflow/tfjs-node fails to start it, and says so, rather than run WASM.
      return { args: [], env: { [DEVICE_BACKEND_ENV]: 'tensorflow' } };
    case 'onnxruntime':
      return { args: ['--runtime', 'onnxruntime'], env: parseLocalDeviceId(deviceId) !== null ? { NODE_PATH: projectFile('node_modules') } : {} };
    case 'tflite':
    case 'tensorrt':
      throw new CalibrationRequestError(`runtime ${runtime}: its models are timed by ${runtime === 'tflite' ? 'benchmark_model' : 'trtexec'} on the device, which the Node runner does not run; calibrate tfjs-wasm, tfjs-node or onnxruntime here`);
  }
}
