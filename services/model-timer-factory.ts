/**
 * Which whole-model timer a validation uses: every device that calibrates with the Node
 * runner (this computer, local:js, local:CPUS, SSH boards) times models in that runner too
 * (--models, a fresh process per model, as calibration runs a fresh process per chunk of
 * cases), so measured and estimated latency come from processes alike, and this computer
 * tests the path an SSH board takes. A phone's browser page times single layers only, so
 * phones are refused by name for now.
 */
import type { DevicesService } from './devices-service.ts';
import type { ModelTimerFactory } from './validation-service.ts';
import { createRemoteModelTimer } from './remote-model-timer.ts';
import { CalibrationRequestError } from './calibration-request-error.ts';
import { runnerLaunch } from './runner-launch.ts';
import { DEFAULT_RUNTIME } from '../latency/runtime.ts';

export function modelTimerFactory(devices: DevicesService, runnerBundleDir: () => Promise<string>): ModelTimerFactory {
  return async (deviceId, repeats, runtime = DEFAULT_RUNTIME) => {
    if (deviceId.startsWith('adb:')) {
      throw new CalibrationRequestError(`device ${deviceId}: phones cannot run the measured-versus-estimated validation yet (the browser bench page times single layers, not whole models); validate on this computer or an SSH board`);
    }
    const launch = runnerLaunch(deviceId, runtime);
    const bundleDir = await runnerBundleDir();
    const transport = await devices.openTransport(deviceId);
    try {
      const timer = await createRemoteModelTimer({ transport, deviceId, bundleDir, repeats, launch });
      return {
        backend: timer.backend,
        time: (spec, signal) => timer.time(spec, signal),
        close: async () => {
          await timer.close();
          await transport.close();
        },
      };
    } catch (e) {
      await transport.close();
      throw e;
    }
  };
}
