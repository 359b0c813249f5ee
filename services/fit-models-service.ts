/**
 * A device profile fitted to whole-model timings (`edgetree profiles fit-models`): the
 * timings are read (profiler/import/model-timings.ts), each model resolved by name as
 * everywhere else (built-in, imported, validation set), the fit made by the latency
 * domain (latency/fit/fit-models.ts), and only then is the profile stored, as a new
 * version: any bad input stores nothing.
 */
import type { FitProfileFromModelsRequest, FitProfileFromModelsResult } from '../api/studio-api.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { adjustProfileToModels, fitProfileFromScratch, type ModelsFit, type TimedModel } from '../latency/fit/fit-models.ts';
import { UnknownModelError } from '../profiler/import/measurement-import-error.ts';
import { modelTimingsFromToolOutputs, parseModelTimingsCsv, type ModelTimingRow } from '../profiler/import/model-timings.ts';
import { TOOL_BACKEND } from '../profiler/import/tool-outputs-import.ts';
import { NotFoundError } from '../profiles/errors.ts';
import { CalibrationRequestError } from './calibration-request-error.ts';
import type { ModelsService } from './models-service.ts';
import type { ProfilesService } from './profiles-service.ts';

function readTimings(req: FitProfileFromModelsRequest): ModelTimingRow[] {
  if (req.csv !== undefined) return parseModelTimingsCsv(req.csv.fileName, req.csv.content);
  if (req.toolOutputs !== undefined) return modelTimingsFromToolOutputs(req.toolOutputs.folder, req.toolOutputs.files);
  throw new CalibrationRequestError('fit-models: give the whole-model timings as a CSV or as saved tool outputs');
}

export function fitProfileFromModels(models: ModelsService, profiles: ProfilesService, req: FitProfileFromModelsRequest): FitProfileFromModelsResult {
  const rows = readTimings(req);
  const dataset = req.dataset ?? 'cifar10';
  const timed: TimedModel[] = rows.map((row) => {
    try {
      return { name: row.model, analysis: analyzeModel(models.resolveModel(row.model, dataset)), measuredMs: row.ms };
    } catch (e) {
      if (e instanceof NotFoundError) throw new UnknownModelError(row.file, row.line, row.model, e.message);
      throw e;
    }
  });
  let fit: ModelsFit;
  if (req.profileId !== undefined) {
    const base = profiles.loadProfile(req.profileId);
    if (req.deviceId !== undefined && req.deviceId !== base.device.id) {
      throw new CalibrationRequestError(`profile ${req.profileId} is a profile of device ${base.device.id}, not ${req.deviceId}; an adjusted profile stays with its device`);
    }
    fit = adjustProfileToModels(timed, base, req.name !== undefined ? { name: req.name } : {});
  } else {
    if (req.deviceId === undefined || req.name === undefined) throw new CalibrationRequestError('fit-models: a fit from scratch needs a device id and a profile name');
    const tools = new Set(rows.map((r) => r.tool));
    const tool = tools.size === 1 ? rows[0].tool : null;
    fit = fitProfileFromScratch(timed, { name: req.name, device: { id: req.deviceId }, ...(tool !== null && { backend: TOOL_BACKEND[tool] }) });
  }
  const profile = profiles.storeProfile(fit.profile);
  return {
    profile,
    mode: fit.mode,
    baseProfileId: req.profileId ?? null,
    groups: fit.groups,
    overheadMs: fit.overheadMs,
    parameters: fit.parameters,
    inSample: fit.inSample,
    leaveOneOut: fit.leaveOneOut,
  };
}
