/**
 * The model tree as a tree (paper Fig. 8): one row per block, a node per bandwidth type
 * with where its block runs (device, cut inside it, or cloud under an ancestor's cut)
 * and its compression techniques; under each leaf its branch's latency, accuracy, reward.
 */
import type { ModelTree, SearchBranchRow } from '../../api/search-api.ts';
import { formatMbps } from '../format.ts';
import { layoutTree, NODE_H, NODE_W, ROW_H } from './tree-layout.ts';

const FILL = { device: '#e7f0ff', cut: '#fff4e0', cloud: '#f2f4f7' } as const;
const STROKE = { device: '#3b6fd4', cut: '#e8590c', cloud: '#98a2b3' } as const;
const BRANCH_H = 58;

export function ModelTreeView({ tree, branches, techniques }: { tree: ModelTree; branches: SearchBranchRow[]; techniques: ReadonlyMap<string, string> }) {
  const l = layoutTree(tree);
  const height = l.height + BRANCH_H;
  const what = (variantIds: string[]): string => (variantIds.length === 0 ? 'no compression' : variantIds.map((id) => techniques.get(id) ?? id).join(' + '));
  return (
    <figure className="chart wide tree-figure" data-testid="model-tree" data-nodes={tree.nodes.length} data-branches={branches.length}>
      <figcaption className="chart-head"><span>Model tree: {tree.blocks.length} blocks, bandwidth types {tree.levelsMbps.map(formatMbps).join(' / ')} Mbit/s, reward {tree.reward.toFixed(2)}</span></figcaption>
      <div className="tree-scroll">
        <svg width={l.width + 8} height={height} viewBox={`-4 0 ${l.width + 8} ${height}`} role="img" aria-label="model tree">
          {l.nodes.filter((n) => n.parent !== null).map((n) => {
            const p = l.nodes[n.parent as number];
            return <line key={`e${n.id}`} x1={p.x} y1={p.y + NODE_H / 2} x2={n.x} y2={n.y - NODE_H / 2} stroke="#98a2b3" />;
          })}
          {l.nodes.map((n) => (
            <g key={n.id} data-testid="tree-node" data-node-id={n.id} data-placement={n.placement} transform={`translate(${n.x - NODE_W / 2}, ${n.y - NODE_H / 2})`}>
              <title>{`node ${n.id}: block ${n.block} layers [${n.layers[0]}, ${n.layers[1]}), bandwidth type ${n.level}${n.placement === 'cloud' ? '' : `, reward ${n.reward.toFixed(2)}`}`}</title>
              <rect width={NODE_W} height={NODE_H} rx={6} fill={FILL[n.placement]} stroke={STROKE[n.placement]} />
              <text x={8} y={16} fontSize={11} fontWeight={600}>block {n.block} · {formatMbps(tree.levelsMbps[n.level])} Mbit/s</text>
              <text x={8} y={32} fontSize={11}>{n.placement === 'device' ? 'device' : n.placement === 'cut' ? `device, cut at layer ${n.cut}` : 'cloud'}</text>
              <text x={8} y={48} fontSize={11} fill="#475467">{n.placement === 'cloud' ? 'base layers' : what(n.variantIds)}</text>
            </g>
          ))}
          {branches.map((b, i) => (
            <g key={`b${i}`} data-testid="tree-branch" transform={`translate(${l.leafX[i] - NODE_W / 2}, ${l.height + 4})`}>
              <text x={4} y={12} fontSize={11}>{b.latencyMs.toFixed(1)} ms</text>
              <text x={4} y={28} fontSize={11}>{(100 * b.accuracy).toFixed(2)}% acc.</text>
              <text x={4} y={44} fontSize={11} fontWeight={600}>R {b.reward.toFixed(1)}</text>
            </g>
          ))}
        </svg>
      </div>
      <p className="hint">Rows are blocks; siblings are the bandwidth types met at the block's start. Blue: the block runs on the device; orange: it is cut (the rest of the model runs in the cloud); grey: in the cloud. Row height {ROW_H}px.</p>
    </figure>
  );
}
