/** What to search: model, data set, device and cloud profiles, traces, methods, and the search's sizes. */
import { useState } from 'react';
import type { ProfileSummary, TraceSummary } from '../../api/studio-api.ts';
import type { DatasetName } from '../../api/studio-api.ts';
import { DEFAULT_SEARCH_BLOCKS, DEFAULT_SEARCH_CONTEXTS, DEFAULT_SEARCH_EPISODES, DEFAULT_VAL_IMAGES, SEARCH_MODELS } from '../../api/search-api.ts';
import type { SearchMethodName, SearchModelName, StartSearchRequest, VariantSource } from '../../api/search-api.ts';
import { SEARCH_METHODS } from '../../search/method-names.ts';
import { TECHNIQUE_IDS } from '../../dnn/compress/technique.ts';
import type { TechniqueId } from '../../dnn/compress/technique.ts';

const DATASETS: DatasetName[] = ['cifar10', 'fashion-mnist'];
const METHOD_LABELS: Record<SearchMethodName, string> = {
  tree: 'model tree (RL)', branch: 'optimal branch (RL)', surgery: 'DNN surgery', neurosurgeon: 'Neurosurgeon',
  random: 'random search', egreedy: 'epsilon-greedy', exhaustive: 'exhaustive',
};

/** A number box that keeps whole numbers from min up. */
function Count({ label, value, min, onChange, testId }: { label: string; value: number; min: number; onChange: (n: number) => void; testId: string }) {
  return (
    <label>
      {label}
      <input type="number" min={min} step={1} value={value} data-testid={testId} className="count"
        onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= min) onChange(n); }} />
    </label>
  );
}

export function SearchForm({ profiles, traces, disabled, onStart }: {
  profiles: ProfileSummary[]; traces: TraceSummary[]; disabled: boolean;
  onStart: (reqs: StartSearchRequest[]) => void;
}) {
  const [model, setModel] = useState<SearchModelName>('vgg11');
  const [dataset, setDataset] = useState<DatasetName>('cifar10');
  const [profileId, setProfileId] = useState('');
  const [cloudProfileId, setCloudProfileId] = useState('');
  const [traceIds, setTraceIds] = useState<string[]>([]);
  const [methods, setMethods] = useState<SearchMethodName[]>(['tree', 'branch', 'surgery']);
  const [blocks, setBlocks] = useState(DEFAULT_SEARCH_BLOCKS);
  const [contexts, setContexts] = useState(DEFAULT_SEARCH_CONTEXTS);
  const [episodes, setEpisodes] = useState(DEFAULT_SEARCH_EPISODES);
  const [seed, setSeed] = useState(1);
  const [valImages, setValImages] = useState(DEFAULT_VAL_IMAGES);
  const [techniques, setTechniques] = useState<TechniqueId[]>([...TECHNIQUE_IDS]);
  const [variants, setVariants] = useState<VariantSource>('studio');
  const device = profileId !== '' ? profileId : (profiles[0]?.id ?? '');
  const cloud = cloudProfileId !== '' ? cloudProfileId : (profiles[profiles.length - 1]?.id ?? '');
  const toggle = <T,>(list: T[], x: T): T[] => (list.includes(x) ? list.filter((y) => y !== x) : [...list, x]);
  const ready = device !== '' && cloud !== '' && traceIds.length > 0 && methods.length > 0;
  const profileOption = (p: ProfileSummary) => <option key={p.id} value={p.id}>{p.id}: {p.name} v{p.version} ({p.deviceId})</option>;

  return (
    <div className="panel-form search-form" data-testid="search-form">
      <div className="toolbar">
        <label>Model
          <select data-testid="search-model" value={model} onChange={(e) => setModel(e.target.value as SearchModelName)}>
            {SEARCH_MODELS.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <label>Data set
          <select data-testid="search-dataset" value={dataset} onChange={(e) => setDataset(e.target.value as DatasetName)}>
            {DATASETS.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </label>
        <label>Device profile
          <select data-testid="search-profile" value={device} onChange={(e) => setProfileId(e.target.value)}>{profiles.map(profileOption)}</select>
        </label>
        <label>Cloud profile
          <select data-testid="search-cloud-profile" value={cloud} onChange={(e) => setCloudProfileId(e.target.value)}>{profiles.map(profileOption)}</select>
        </label>
      </div>
      <fieldset className="checks" data-testid="search-traces">
        <legend>Traces (each gets its own search at its bandwidth types)</legend>
        {traces.length === 0 && <span className="empty">No traces stored: import one on the Traces screen.</span>}
        {traces.map((t) => (
          <label key={t.id} className="inline">
            <input type="checkbox" data-testid={`search-trace-${t.id}`} checked={traceIds.includes(t.id)} onChange={() => setTraceIds(toggle(traceIds, t.id))} />
            {t.name} <span className="hint">(p25 {t.p25Mbps.toFixed(2)}, p75 {t.p75Mbps.toFixed(2)} Mbit/s)</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="checks" data-testid="search-methods">
        <legend>Methods (one run each, in turn)</legend>
        {SEARCH_METHODS.map((m) => (
          <label key={m} className="inline">
            <input type="checkbox" data-testid={`search-method-${m}`} checked={methods.includes(m)} onChange={() => setMethods(toggle(methods, m))} />
            {METHOD_LABELS[m]}
          </label>
        ))}
      </fieldset>
      <fieldset className="checks" data-testid="search-techniques">
        <legend>Compression techniques searched (Table II)</legend>
        {TECHNIQUE_IDS.map((t) => (
          <label key={t} className="inline">
            <input type="checkbox" data-testid={`search-technique-${t}`} checked={techniques.includes(t)} onChange={() => setTechniques(toggle(techniques, t))} />
            {t}
          </label>
        ))}
      </fieldset>
      <div className="toolbar">
        <Count label="Blocks N" value={blocks} min={1} onChange={setBlocks} testId="search-blocks" />
        <Count label="Bandwidth types K" value={contexts} min={1} onChange={setContexts} testId="search-contexts" />
        <Count label="Episodes" value={episodes} min={1} onChange={setEpisodes} testId="search-episodes" />
        <Count label="Seed" value={seed} min={0} onChange={setSeed} testId="search-seed" />
        <Count label="Validation images" value={valImages} min={1} onChange={setValImages} testId="search-val-images" />
        <label title="Blocks trained by recipes/pytorch/distill_variants.py are brought in with edgetree variants import; every block of the chosen techniques must be there">
          Compressed blocks
          <select data-testid="search-variants" value={variants} onChange={(e) => setVariants(e.target.value as VariantSource)}>
            <option value="studio">distilled by the studio</option>
            <option value="recipe">trained by the PyTorch recipe</option>
          </select>
        </label>
        <button type="button" className="primary" data-testid="search-start" disabled={disabled || !ready}
          onClick={() => onStart(methods.map((method) => ({ model, dataset, profileId: device, cloudProfileId: cloud, traceIds, method, blocks, contexts, episodes, seed, valImages, techniques, variants })))}>
          Start
        </button>
      </div>
    </div>
  );
}
