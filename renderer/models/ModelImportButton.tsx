/** Imports a model file (spec JSON, TF.js model.json, ONNX), sent base64-encoded. */
import { useRef } from 'react';
import type { ModelSummary, StudioApi } from '../../api/studio-api.ts';
import type { RunFn } from '../use-status.ts';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000; // String.fromCharCode takes a bounded number of arguments
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

export function ModelImportButton({ api, run, onImported }: { api: StudioApi; run: RunFn; onImported: (m: ModelSummary) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const onFile = async (file: File) => {
    const imported = await run(`Importing ${file.name}`, async () => {
      const contentBase64 = toBase64(new Uint8Array(await file.arrayBuffer()));
      return api.importModel({ fileName: file.name, contentBase64 });
    });
    if (imported) onImported(imported);
  };
  return (
    <div className="import">
      <input
        ref={input}
        type="file"
        accept=".json,.onnx"
        hidden
        data-testid="model-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void onFile(file);
        }}
      />
      <button type="button" onClick={() => input.current?.click()}>Import model…</button>
      <span className="hint">spec JSON, TF.js model.json or ONNX</span>
    </div>
  );
}
