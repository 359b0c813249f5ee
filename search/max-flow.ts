/**
 * Maximum flow / minimum s-t cut (Dinic's algorithm) on a small graph with real
 * capacities. Infinite capacities are stood in for by a finite bound larger than the
 * sum of the finite ones, so the arithmetic stays finite.
 */

interface Edge {
  to: number;
  cap: number;
  /** Index of the reverse edge in adjacency[to]. */
  rev: number;
}

export class FlowGraph {
  private readonly adjacency: Edge[][];
  private finiteSum = 0;
  private readonly infiniteEdges: Edge[] = [];

  constructor(nodeCount: number) {
    this.adjacency = Array.from({ length: nodeCount }, () => []);
  }

  /** A directed edge; capacity Infinity for an edge that must never be cut. */
  addEdge(from: number, to: number, capacity: number): void {
    if (!(capacity >= 0)) throw new RangeError(`edge ${from} -> ${to}: capacity must be >= 0, got ${capacity}`);
    const forward: Edge = { to, cap: capacity, rev: this.adjacency[to].length };
    const backward: Edge = { to: from, cap: 0, rev: this.adjacency[from].length };
    this.adjacency[from].push(forward);
    this.adjacency[to].push(backward);
    if (capacity === Infinity) this.infiniteEdges.push(forward);
    else this.finiteSum += capacity;
  }

  /**
   * The minimum cut between s and t: its value and the nodes on the source side
   * (reachable from s in the residual graph). Call once.
   */
  minCut(s: number, t: number): { value: number; sourceSide: boolean[] } {
    const big = 2 * this.finiteSum + 1;
    for (const e of this.infiniteEdges) e.cap = big;
    // Capacities left below this count as saturated (float residue of real capacities).
    const eps = 1e-12 * Math.max(1, this.finiteSum);
    const n = this.adjacency.length;
    let flow = 0;
    for (;;) {
      const level = new Array<number>(n).fill(-1);
      level[s] = 0;
      const queue = [s];
      for (let q = 0; q < queue.length; q++) {
        for (const e of this.adjacency[queue[q]]) {
          if (e.cap > eps && level[e.to] < 0) {
            level[e.to] = level[queue[q]] + 1;
            queue.push(e.to);
          }
        }
      }
      if (level[t] < 0) break;
      const next = new Array<number>(n).fill(0);
      const push = (u: number, f: number): number => {
        if (u === t) return f;
        for (; next[u] < this.adjacency[u].length; next[u]++) {
          const e = this.adjacency[u][next[u]];
          if (e.cap > eps && level[e.to] === level[u] + 1) {
            const d = push(e.to, Math.min(f, e.cap));
            if (d > 0) {
              e.cap -= d;
              this.adjacency[e.to][e.rev].cap += d;
              return d;
            }
          }
        }
        return 0;
      };
      for (let f = push(s, Infinity); f > 0; f = push(s, Infinity)) flow += f;
    }
    const sourceSide = new Array<boolean>(n).fill(false);
    sourceSide[s] = true;
    const stack = [s];
    while (stack.length > 0) {
      const u = stack.pop() as number;
      for (const e of this.adjacency[u]) {
        if (e.cap > eps && !sourceSide[e.to]) {
          sourceSide[e.to] = true;
          stack.push(e.to);
        }
      }
    }
    return { value: flow, sourceSide };
  }
}
