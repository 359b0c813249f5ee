// The device side of a transfer calibration: uploads S bytes to the studio's receiver
// and times from the first byte written to the receiver's one-byte acknowledgement.
// Plain JavaScript with no imports beyond Node, so it can be pushed as-is to a device
// that has Node (a Linux board) as well as run in a network namespace here.
//
//   node upload-sender.mjs HOST PORT                 # reads sizes, one per line, on stdin
//   node upload-sender.mjs HOST PORT SIZES REPEATS   # SIZES comma-separated; runs them all
//
// Prints one JSON line per upload: {"bytes":N,"ms":T} or {"bytes":N,"error":"..."}.
// Wire format: an 8-byte big-endian byte count, then the payload; the receiver answers 1 byte.
import net from 'node:net';
import readline from 'node:readline';

const [host, portText, sizesText, repeatsText] = process.argv.slice(2);
const port = Number(portText);
if (!host || !Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: upload-sender.mjs HOST PORT [SIZES REPEATS]\n');
  process.exit(2);
}

let payload = Buffer.alloc(0);
function payloadOf(bytes) {
  if (payload.length < bytes) payload = Buffer.alloc(bytes, 0x5a);
  return payload.subarray(0, bytes);
}

/** Connects (untimed), then times header + payload until the acknowledgement byte. */
function upload(bytes) {
  return new Promise((resolve, reject) => {
    const body = payloadOf(bytes);
    const header = Buffer.alloc(8);
    header.writeBigUInt64BE(BigInt(bytes));
    const socket = net.connect({ host, port, noDelay: true }, () => {
      const t0 = process.hrtime.bigint();
      socket.once('data', () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        socket.destroy();
        resolve(ms);
      });
      socket.write(header);
      socket.write(body);
    });
    socket.setTimeout(120000, () => socket.destroy(new Error(`no acknowledgement from ${host}:${port} within 120 s`)));
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`connection to ${host}:${port} closed before the acknowledgement`)));
  });
}

async function report(bytes) {
  try {
    const ms = await upload(bytes);
    process.stdout.write(`${JSON.stringify({ bytes, ms })}\n`);
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ bytes, error: e instanceof Error ? e.message : String(e) })}\n`);
  }
}

if (sizesText !== undefined) {
  const sizes = sizesText.split(',').map(Number);
  const repeats = Number(repeatsText ?? '1');
  for (let r = 0; r < repeats; r++) for (const s of sizes) await report(s);
} else {
  // Lines are handled one at a time, in order: the driver waits for each result before the next size.
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const bytes = Number(line.trim());
    if (line.trim() === '') continue;
    if (!Number.isInteger(bytes) || bytes <= 0) process.stdout.write(`${JSON.stringify({ bytes: line.trim(), error: 'not a whole number of bytes > 0' })}\n`);
    else await report(bytes);
  }
}
