/**
 * The studio side of a transfer calibration: a TCP server that reads an 8-byte
 * big-endian byte count, then that many bytes, and acknowledges with one byte once
 * the last byte is in (see upload-sender.mjs). `ackDelayMs` holds the acknowledgement
 * back that long: this kernel has no netem, so a propagation delay, when wanted, is
 * emulated here in user space (it adds to every measured time, as one-way delay would).
 */
import net from 'node:net';

export interface UploadReceiver {
  host: string;
  port: number;
  /** Uploads completed so far. */
  readonly completed: number;
  close(): Promise<void>;
}

export function startUploadReceiver(opts: { host: string; port?: number; ackDelayMs?: number }): Promise<UploadReceiver> {
  let completed = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let header = Buffer.alloc(0);
    let expected = -1;
    let received = 0;
    let acked = false;
    socket.on('data', (chunk: Buffer) => {
      let body = chunk;
      if (expected < 0) {
        header = Buffer.concat([header, chunk]);
        if (header.length < 8) return;
        expected = Number(header.readBigUInt64BE(0));
        body = header.subarray(8);
      }
      received += body.length;
      if (!acked && received >= expected) {
        acked = true;
        const ack = () => {
          completed++;
          socket.end(Buffer.from([0x06]));
        };
        if (opts.ackDelayMs && opts.ackDelayMs > 0) setTimeout(ack, opts.ackDelayMs);
        else ack();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host, () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        host: opts.host,
        port: address.port,
        get completed() { return completed; },
        close: () => new Promise<void>((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}
