/**
 * Device profiles: a JSON document checked by the latency domain, stored as a new
 * version for its device and name (never overwritten), exported as the same JSON.
 */
import type { Database } from 'better-sqlite3';
import type { ProfileSummary } from '../api/studio-api.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { parseDeviceProfile, serializeDeviceProfile } from '../latency/profile-json.ts';
import { findDevice, upsertDevice, type DeviceKind } from '../profiles/device-repository.ts';
import { getProfile, insertProfileVersion, listProfiles, type StoredProfileRow } from '../profiles/profile-repository.ts';
import { ProfileImportError } from './errors.ts';

export interface ProfileFile {
  fileName: string;
  content: string;
}

export interface ProfilesService {
  importProfile(file: ProfileFile): ProfileSummary;
  /** Stores a checked profile as the next version for its device and name (registering the device). */
  storeProfile(profile: DeviceProfile): ProfileSummary;
  /** The stored profile and its JSON document, as imported (re-importing it adds a version). */
  exportProfile(id: string): { profile: ProfileSummary; json: string };
  listProfiles(): ProfileSummary[];
  /** The parsed profile of a stored id, for estimates. */
  loadProfile(id: string): DeviceProfile;
}

export function createProfilesService(db: Database): ProfilesService {
  return {
    importProfile({ fileName, content }) {
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch (err) {
        throw new ProfileImportError(fileName, `not JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      return this.storeProfile(parseDeviceProfile(json, fileName));
    },
    storeProfile(profile) {
      const device = profile.device;
      // The device and the new version are written together or not at all.
      const row = db.transaction(() => {
        // A profile does not say how the device is reached; keep a registered device's kind, else 'local'
        // until native-bridge registers it.
        const kind: DeviceKind = findDevice(db, device.id)?.kind ?? 'local';
        upsertDevice(db, { id: device.id, name: device.model ?? device.id, kind, info: { ...device } });
        return insertProfileVersion(db, device.id, profile.name, serializeDeviceProfile(profile));
      })();
      return toSummary(row);
    },
    exportProfile(id) {
      const stored = getProfile(db, id);
      return { profile: toSummary(stored), json: stored.json };
    },
    listProfiles() {
      return listProfiles(db).map(toSummary);
    },
    loadProfile(id) {
      const stored = getProfile(db, id);
      return parseDeviceProfile(JSON.parse(stored.json), `stored profile ${id}`);
    },
  };
}

function toSummary(r: StoredProfileRow): ProfileSummary {
  return { id: r.id, deviceId: r.deviceId, name: r.name, version: r.version, createdAt: r.createdAt };
}
