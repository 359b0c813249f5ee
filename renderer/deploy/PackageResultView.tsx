/** The packaged bundle: where it is, what it holds, where its weights came from, and any warnings. */
import type { PackageResult } from '../../api/deploy-api.ts';
import { formatBytes } from '../format.ts';

export function PackageResultView({ result }: { result: PackageResult }) {
  return (
    <div className="package-result" data-testid="package-result" data-dir={result.dir} data-nodes={result.nodes} data-branches={result.branches}>
      <h2 className="section-title">Bundle</h2>
      <dl className="facts">
        <dt>Folder</dt><dd><code data-testid="package-dir">{result.dir}</code></dd>
        <dt>Model</dt><dd>{result.model}/{result.dataset}, search run {result.searchRunId}, trace {result.traceId}</dd>
        <dt>Configuration</dt><dd data-testid="package-description">{result.configuration}: {result.description}</dd>
        <dt>Nodes</dt><dd><span data-testid="package-nodes">{result.nodes}</span> ({result.deviceNodes} run on the device), <span data-testid="package-branches">{result.branches}</span> branches, reward {result.reward.toFixed(2)}</dd>
        <dt>Size</dt><dd data-testid="package-size">{result.files} files, {formatBytes(result.bytes)}, weights {result.weightsDtype}</dd>
        <dt>Weights</dt><dd>{result.weightsSource}</dd>
      </dl>
      {result.warnings.length > 0 && (
        <ul className="warnings" data-testid="package-warnings">
          {result.warnings.map((w) => <li key={w}>{w}</li>)}
        </ul>
      )}
    </div>
  );
}
