/**
 * The application services: one StudioApi over the store, used by Electron's IPC,
 * the browser-mode server and the CLI alike.
 */
import type { Database } from 'better-sqlite3';
import type { BackendInfo, DatasetName, ModelDetail, ModelImportRequest, ProfileSummary, StudioApi } from '../api/studio-api.ts';
import { openStore } from '../profiles/open-store.ts';
import { createModelsService } from './models-service.ts';
import { createTracesService } from './traces-service.ts';
import { createProfilesService, type ProfileFile } from './profiles-service.ts';
import { estimateSplit } from './estimate-service.ts';
import { STUDIO_VERSION } from './version.ts';

export interface StudioServicesOptions {
  /** The studio home; the store is `<home>/studio.db`. */
  home: string;
  mode: 'electron' | 'browser' | 'cli';
}

export interface StudioServices extends StudioApi {
  /** Closes the store; the object must not be used afterwards. */
  close(): void;
  /** CLI: analyse a model file without storing it. */
  showModelFile(req: ModelImportRequest & { dataset: DatasetName }): Promise<ModelDetail>;
  /** CLI: import a device profile JSON as the next version for its device and name. */
  importProfile(req: ProfileFile): Promise<ProfileSummary>;
  /** CLI: a stored profile and its JSON document. */
  exportProfile(req: { id: string }): Promise<{ profile: ProfileSummary; json: string }>;
  /** The open store, for code in this process that needs a repository the API does not cover. */
  readonly db: Database;
}

export function createStudioServices(options: StudioServicesOptions): StudioServices {
  const db = openStore(options.home);
  const models = createModelsService(db);
  const traces = createTracesService(db);
  const profiles = createProfilesService(db);
  // Methods are async so that every caller (IPC, HTTP, CLI) sees one contract; the work is synchronous SQLite.
  return {
    db,
    close: () => { if (db.open) db.close(); },
    backendInfo: async (): Promise<BackendInfo> => ({ mode: options.mode, version: STUDIO_VERSION, home: options.home }),
    listModels: async () => models.listModels(),
    showModel: async (req) => models.showModel(req.name, req.dataset),
    importModel: async (req) => models.importModel(req),
    showModelFile: async (req) => models.showModelFile(req, req.dataset),
    listTraces: async () => traces.listTraces(),
    showTrace: async (req) => traces.showTrace(req.id),
    importTrace: async (req) => traces.importTrace(req),
    listProfiles: async () => profiles.listProfiles(),
    importProfile: async (req) => profiles.importProfile(req),
    exportProfile: async (req) => profiles.exportProfile(req.id),
    estimate: async (req) => estimateSplit(models, profiles, req),
  };
}
