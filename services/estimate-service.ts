/** Latency of one split, T = T_e + T_t + T_c (paper Eq. 3), from stored profiles and a model. */
import type { EstimateRequest, EstimateResult } from '../api/studio-api.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { estimateLatency } from '../latency/estimate.ts';
import type { ModelsService } from './models-service.ts';
import type { ProfilesService } from './profiles-service.ts';

/** The latency domain checks the cut and the bandwidth (LatencyInputError) and the profiles' coverage. */
export function estimateSplit(models: ModelsService, profiles: ProfilesService, req: EstimateRequest): EstimateResult {
  const analysis = analyzeModel(models.resolveModel(req.model, req.dataset));
  const edge = profiles.loadProfile(req.profileId);
  const cloud = req.cloudProfileId === undefined ? null : profiles.loadProfile(req.cloudProfileId);
  const t = estimateLatency(analysis, req.cut, edge, cloud, req.bandwidthMbps);
  return { edgeMs: t.edgeMs, transferMs: t.transferMs, cloudMs: t.cloudMs, totalMs: t.totalMs };
}
