/**
 * Which whole-model timer a validation uses: this computer times models in the studio's
 * process; an SSH board runs them in the pushed Node runner (--models); a phone's browser
 * page times single layers only, so phones are refused by name for now.
 */
import { LOCAL_DEVICE_ID } from '../native-bridge/local-transport.ts';
import { createLocalModelTimer } from '../profiler/validation/local-model-timer.ts';
import type { DevicesService } from './devices-service.ts';
import type { ModelTimerFactory } from './validation-service.ts';
import { createRemoteModelTimer } from './remote-model-timer.ts';
import { CalibrationRequestError } from './calibration-request-error.ts';

export function modelTimerFactory(devices: DevicesService, runnerBundleDir: () => Promise<string>): ModelTimerFactory {
  return async (deviceId, repeats) => {
    if (deviceId === LOCAL_DEVICE_ID) return createLocalModelTimer({ repeats });
    if (deviceId.startsWith('adb:')) {
      throw new CalibrationRequestError(`device ${deviceId}: phones cannot run the measured-versus-estimated validation yet (the browser bench page times single layers, not whole models); validate on this computer or an SSH board`);
    }
    const bundleDir = await runnerBundleDir();
    const transport = await devices.openTransport(deviceId);
    try {
      const timer = await createRemoteModelTimer({ transport, deviceId, bundleDir, repeats });
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
