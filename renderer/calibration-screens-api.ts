/**
 * What the calibration screens call: the calibration part of the API plus the stored
 * profiles list. StudioApi includes both once calibration is merged into it.
 */
import type { CalibrationApi } from '../api/calibration-api.ts';
import type { StudioApi } from '../api/studio-api.ts';

export type CalibrationScreensApi = CalibrationApi & Pick<StudioApi, 'listProfiles'>;
