/** What to sweep: techniques, one layer or all, validation images, and the distillation's images and epochs. */
import { useState } from 'react';
import { SWEEP_DEFAULTS } from '../../api/accuracy-api.ts';
import type { StartCompressionSweepRequest } from '../../api/accuracy-api.ts';
import type { LayerRow } from '../../api/studio-api.ts';
import { TECHNIQUE_IDS } from '../../dnn/compress/technique.ts';
import type { TechniqueId } from '../../dnn/compress/technique.ts';
import { TECHNIQUE_NAMES } from './sweep-series.ts';

type Settings = Omit<StartCompressionSweepRequest, 'model' | 'dataset'>;

function Count({ label, value, onChange, testId }: { label: string; value: number; onChange: (n: number) => void; testId: string }) {
  return (
    <label>
      {label}
      <input type="number" min={1} step={1} value={value} data-testid={testId} className="count"
        onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1) onChange(n); }} />
    </label>
  );
}

export function SweepForm({ layers, disabled, onStart }: { layers: LayerRow[]; disabled: boolean; onStart: (s: Settings) => void }) {
  const [techniques, setTechniques] = useState<TechniqueId[]>([...TECHNIQUE_IDS]);
  const [layer, setLayer] = useState('all');
  const [valImages, setValImages] = useState<number>(SWEEP_DEFAULTS.valImages);
  const [distillImages, setDistillImages] = useState<number>(SWEEP_DEFAULTS.distillImages);
  const [distillEpochs, setDistillEpochs] = useState<number>(SWEEP_DEFAULTS.distillEpochs);
  const toggle = (t: TechniqueId) => setTechniques((list) => (list.includes(t) ? list.filter((x) => x !== t) : TECHNIQUE_IDS.filter((x) => x === t || list.includes(x))));
  // Only layers with weights can be compressed.
  const compressible = layers.filter((l) => l.type === 'conv' || l.type === 'fc');
  return (
    <div className="panel-form" data-testid="sweep-form">
      <fieldset className="checks">
        <legend>Techniques (paper Table II)</legend>
        {TECHNIQUE_IDS.map((t) => (
          <label key={t} className="inline">
            <input type="checkbox" data-testid={`sweep-technique-${t}`} checked={techniques.includes(t)} onChange={() => toggle(t)} /> {t} {TECHNIQUE_NAMES[t]}
          </label>
        ))}
      </fieldset>
      <div className="toolbar">
        <label>Layers
          <select data-testid="sweep-layer" value={layer} onChange={(e) => setLayer(e.target.value)}>
            <option value="all">every layer a technique fits</option>
            {compressible.map((l) => <option key={l.index} value={String(l.index)}>{l.index}: {l.id} ({l.type})</option>)}
          </select>
        </label>
        <Count label="Validation images" value={valImages} onChange={setValImages} testId="sweep-val-images" />
        <Count label="Distillation images" value={distillImages} onChange={setDistillImages} testId="sweep-distill-images" />
        <Count label="Distillation epochs" value={distillEpochs} onChange={setDistillEpochs} testId="sweep-distill-epochs" />
        <button type="button" className="primary" data-testid="sweep-start" disabled={disabled || techniques.length === 0}
          onClick={() => onStart({ techniques, ...(layer !== 'all' && { layers: [Number(layer)] }), valImages, distillImages, distillEpochs })}>
          Run compression sweep
        </button>
      </div>
      <p className="hint">Each block is distilled once on training images and stored; a sweep that meets it again reads it back.</p>
    </div>
  );
}
