/**
 * Test support: a TCP relay on loopback that forwards to a target and shapes the upload
 * (client to target) to a rate, as a slow uplink would; the answers pass unshaped. The
 * rate can change while it runs, and kill() drops every connection at once (a cloud
 * that vanishes mid-transfer).
 */
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface ThrottledRelay {
  url: string;
  /** Mbit/s of the upload; Infinity: unshaped. */
  setRateMbps(mbps: number): void;
  /** Bytes forwarded upstream so far. */
  uploaded(): number;
  /** Destroys every open connection (the relay keeps listening; new ones are refused while `refuse` is set). */
  kill(opts?: { refuse?: boolean }): void;
  close(): Promise<void>;
}

const SLICE = 256;

export async function startThrottledRelay(targetPort: number, mbps: number): Promise<ThrottledRelay> {
  let rate = mbps;
  let refuse = false;
  let uploaded = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (refuse) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    // Small paced writes: without this, Nagle + delayed ACKs add ~40 ms stalls.
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    const queue: Buffer[] = [];
    let pumping = false;
    let ended = false;
    // When the next slice may go: advanced by each slice's time, so a late timer is made up by a shorter next wait.
    let due = 0;
    // Sends one slice, then waits the slice's time at the current rate.
    const pump = (): void => {
      if (queue.length === 0) {
        pumping = false;
        if (ended) upstream.end();
        return;
      }
      pumping = true;
      const head = queue[0];
      // Slices of at least 2 ms at the rate: timers are not finer than about 1 ms.
      const size = Number.isFinite(rate) ? Math.max(SLICE, Math.ceil((rate * 1000 * 2) / 8)) : 64 * 1024;
      const slice = head.subarray(0, size);
      if (slice.length === head.length) queue.shift();
      else queue[0] = head.subarray(size);
      uploaded += slice.length;
      if (!upstream.destroyed) upstream.write(slice);
      const now = performance.now();
      due = Math.max(due, now) + (Number.isFinite(rate) ? (slice.length * 8) / (rate * 1000) : 0);
      if (due <= now) setImmediate(pump);
      else setTimeout(pump, due - now);
    };
    client.on('data', (chunk: Buffer) => {
      queue.push(chunk);
      if (!pumping) pump();
    });
    client.on('end', () => {
      ended = true;
      if (!pumping) upstream.end();
    });
    upstream.pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    setRateMbps(m) {
      rate = m;
    },
    uploaded: () => uploaded,
    kill(opts = {}) {
      refuse = opts.refuse ?? false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
