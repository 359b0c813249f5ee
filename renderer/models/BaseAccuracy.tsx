/** A trained model's accuracy on the test set and how it was trained, or what to do when it has no weights. */
import type { ModelAccuracy } from '../../api/accuracy-api.ts';
import { formatInt } from '../format.ts';

const SOURCES: Record<string, string> = { 'pytorch-recipe': 'PyTorch recipe (recipes/pytorch), imported through ONNX', 'edgetree-train': 'edgetree train' };

export function BaseAccuracy({ info }: { info: ModelAccuracy }) {
  const t = info.trained;
  if (t === null) return <p className="empty" data-testid="base-accuracy-missing">{info.missing}</p>;
  const recipe = [
    t.epochs !== null && `${t.epochs} epochs`, t.batch !== null && `batch ${t.batch}`, t.learningRate !== null && `lr ${t.learningRate}`, t.seed !== null && `seed ${t.seed}`,
  ].filter((x): x is string => typeof x === 'string');
  return (
    <dl className="totals" data-testid="base-accuracy-panel">
      <div>
        <dt>Test accuracy</dt>
        <dd data-testid="base-accuracy" data-value={t.testAccuracy ?? ''}>
          {t.testAccuracy === null ? 'not measured' : `${(100 * t.testAccuracy).toFixed(2)}%`}
          {t.testImages !== null && <small> on {formatInt(t.testImages)} test images</small>}
        </dd>
      </div>
      <div>
        <dt>Width</dt>
        <dd data-testid="base-width">{t.width}<small> × the paper's channels{t.width !== 1 && '; the table above is the full-width spec, the sweep below the trained one'}</small></dd>
      </div>
      <div>
        <dt>Trained with</dt>
        <dd className="small-dd" data-testid="base-source">{SOURCES[t.source] ?? t.source}<br /><small>{recipe.join(', ')}</small></dd>
      </div>
      {t.trainerTestAccuracy !== null && <div><dt>Trainer said</dt><dd>{(100 * t.trainerTestAccuracy).toFixed(2)}%</dd></div>}
      {info.baseValAccuracy !== null && <div><dt>Validation ({formatInt(info.valImages)} images)</dt><dd>{(100 * info.baseValAccuracy).toFixed(2)}%</dd></div>}
    </dl>
  );
}
