/** Models: the built-in base models, then the ones the user imported (kept as spec JSON in the store); names of the validation set's variants resolve too. */
import type { Database } from 'better-sqlite3';
import type { DatasetName, LayerRow, ModelDetail, ModelImportRequest, ModelSummary } from '../api/studio-api.ts';
import type { LayerSpec, ModelSpec } from '../dnn/spec/layer-spec.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { BUILTIN_MODEL_NAMES, builtinModel, isBuiltinModelName } from '../dnn/models/builtin.ts';
import { importModelFile } from '../dnn/formats/registry.ts';
import { parseModelSpecJson, serializeModelSpec } from '../dnn/formats/spec-json.ts';
import { findModel, insertModel, listModels as listStoredModels } from '../profiles/model-repository.ts';
import { NotFoundError, StoreConflictError } from '../profiles/errors.ts';
import { validationModel, validationModels } from '../profiler/validation/validation-set.ts';

export interface ModelsService {
  listModels(): ModelSummary[];
  /** The spec of a built-in (built for the data set), imported, or (CIFAR-10) validation-set model, in that order. */
  resolveModel(name: string, dataset: DatasetName): ModelSpec;
  showModel(name: string, dataset: DatasetName): ModelDetail;
  /** Analyses a model file without storing it. */
  showModelFile(req: ModelImportRequest, dataset: DatasetName): ModelDetail;
  importModel(req: ModelImportRequest): ModelSummary;
}

export function createModelsService(db: Database): ModelsService {
  const parseStored = (name: string, specJson: string): ModelSpec => parseModelSpecJson(`stored model "${name}"`, JSON.parse(specJson));

  return {
    listModels() {
      const builtins: ModelSummary[] = BUILTIN_MODEL_NAMES.map((name) => ({
        name, source: 'builtin', layerCount: builtinModel(name, 'cifar10').layers.length,
      }));
      const imported: ModelSummary[] = listStoredModels(db).map((m) => ({
        name: m.name, source: 'imported', format: m.format, layerCount: parseStored(m.name, m.spec).layers.length,
      }));
      return [...builtins, ...imported];
    },
    resolveModel(name, dataset) {
      if (isBuiltinModelName(name)) return builtinModel(name, dataset);
      const stored = findModel(db, name);
      if (stored) return parseStored(name, stored.spec);
      // The validation set's variants (vgg11-w0.5, resnet18-dws, ...) are CIFAR-10 specs.
      const variant = validationModel(name);
      if (variant !== undefined && dataset === 'cifar10') return variant;
      const hint = variant !== undefined
        ? `"${name}" is a validation-set model, built for cifar10 only`
        : `built-in models are ${BUILTIN_MODEL_NAMES.join(', ')}; validation-set models (cifar10) are ${validationModels().map((m) => m.name).filter((n) => !isBuiltinModelName(n)).join(', ')}; imported ones are listed by "models list"`;
      throw new NotFoundError('model', name, hint);
    },
    showModel(name, dataset) {
      return modelDetail(this.resolveModel(name, dataset), dataset);
    },
    showModelFile(req, dataset) {
      const { spec } = importModelFile(req.fileName, decodeBase64(req.contentBase64));
      return modelDetail(spec, dataset);
    },
    importModel(req) {
      const { format, spec } = importModelFile(req.fileName, decodeBase64(req.contentBase64));
      if (isBuiltinModelName(spec.name)) {
        throw new StoreConflictError(`${req.fileName}: model name "${spec.name}" is a built-in model; rename the model to import it`);
      }
      // Analyse before storing: a model the studio cannot analyse is not imported.
      analyzeModel(spec);
      const stored = db.transaction(() => insertModel(db, { name: spec.name, format, sourceFile: req.fileName, spec: serializeModelSpec(spec) }))();
      return { name: stored.name, source: 'imported', format: stored.format, layerCount: spec.layers.length };
    },
  };
}

function decodeBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** The API's view of an analysed model; a layer's outputBytes is what a cut right after it sends. */
export function modelDetail(spec: ModelSpec, dataset: DatasetName): ModelDetail {
  const a = analyzeModel(spec);
  const layers: LayerRow[] = a.layers.map((l) => ({
    index: l.index,
    id: l.layer.id,
    type: l.layer.type,
    ...hyperParameters(l.layer),
    outChannels: l.layer.outChannels ?? null,
    outputShape: [...l.outputShape],
    macc: l.macc,
    params: l.params,
    outputBytes: a.cutBytes[l.index + 1],
  }));
  return { name: spec.name, dataset, inputShape: [...spec.inputShape], macc: a.macc, params: a.params, layers, cutBytes: a.cutBytes };
}

const SPATIAL: ReadonlySet<string> = new Set(['conv', 'depthwise', 'maxpool', 'avgpool']);

/** Kernel, stride and padding as the layer applies them (the spec's defaults filled in); null where a type has none. */
function hyperParameters(layer: LayerSpec): Pick<LayerRow, 'kernel' | 'stride' | 'padding'> {
  if (!SPATIAL.has(layer.type) || layer.kernel === undefined) return { kernel: null, stride: null, padding: null };
  const pooling = layer.type === 'maxpool' || layer.type === 'avgpool';
  return { kernel: layer.kernel, stride: layer.stride ?? (pooling ? layer.kernel : 1), padding: layer.padding ?? 0 };
}
