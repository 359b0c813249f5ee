/** edgetree devices list | info ID | add-ssh HOST --user U [--key PATH] [--port P] [--trust FINGERPRINT] */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, onePositional, requiredString, stringOption, numberOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from '../format-table.ts';
import type { DeviceSummary } from '../../api/calibration-api.ts';

export const DEVICES_HELP = `Usage:
  edgetree devices list [--json]            this computer (local), stored SSH devices, ADB devices
  edgetree devices info ID [--json]         identity of one device, asked of the device
  edgetree devices add-ssh HOST --user U [--key PATH] [--port P] [--trust FINGERPRINT] [--json]

add-ssh: on first contact the host's key fingerprint is printed and nothing is stored
(exit 1); check it is the device's, then run the same command with --trust FINGERPRINT.
A key that changed since it was trusted is refused. Without --key the SSH agent is used.
`;

export async function runDevices(args: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = args;
  const name = `devices ${command ?? ''}`.trim();
  if (command === undefined || command === '--help' || command === '-h') return help(ctx, command === undefined ? 2 : 0);
  if (command === 'list') {
    const parsed = parseCommand(name, rest, {});
    if (parsed.values.help) return help(ctx, 0);
    const devices = await ctx.services().listDevices({});
    if (ctx.json) printJson(ctx, devices);
    else ctx.out(formatTable(['id', 'kind', 'state', 'name', 'detail'], devices.map((d) => [d.id, d.kind, d.state, d.name, d.stateDetail ?? identityLine(d)])));
    return 0;
  }
  if (command === 'info') {
    const parsed = parseCommand(name, rest, {});
    if (parsed.values.help) return help(ctx, 0);
    const d = await ctx.services().deviceInfo({ id: onePositional(name, parsed, 'device ID') });
    if (ctx.json) printJson(ctx, d);
    else ctx.out(`${d.id} (${d.kind}, ${d.state}): ${d.name}\n  ${identityLine(d)}\n`);
    return 0;
  }
  if (command === 'add-ssh') {
    const parsed = parseCommand(name, rest, { user: { type: 'string', short: 'u' }, key: { type: 'string' }, port: { type: 'string', short: 'p' }, trust: { type: 'string' } });
    if (parsed.values.help) return help(ctx, 0);
    const host = onePositional(name, parsed, 'HOST');
    const user = requiredString(name, parsed, 'user');
    const portText = stringOption(parsed, 'port');
    const port = portText === undefined ? 22 : numberOption(name, 'port', portText, 'integer');
    const keyPath = stringOption(parsed, 'key');
    const trust = stringOption(parsed, 'trust');
    const s = ctx.services();
    const req = { host, port, user, ...(keyPath !== undefined && { keyPath }) };
    const answer = await s.addSshDevice(req);
    if (!('needsConfirmation' in answer)) return printDevice(ctx, answer);
    if (trust === undefined) {
      if (ctx.json) printJson(ctx, answer);
      else ctx.err(`The host key of ${host}:${answer.port} is not known:\n  ${answer.keyType} ${answer.fingerprint}\n`
        + `Check it on the device (ssh-keygen -lf /etc/ssh/ssh_host_${answer.keyType.replace(/^ssh-/, '')}_key.pub), then run:\n`
        + `  edgetree devices add-ssh ${host} --user ${user}${keyPath ? ` --key ${keyPath}` : ''} --port ${answer.port} --trust ${answer.fingerprint}\n`);
      return 1;
    }
    if (trust !== answer.fingerprint) {
      throw new UsageError(`edgetree ${name}: --trust ${trust} is not the key ${host}:${answer.port} presents (${answer.keyType} ${answer.fingerprint}); nothing was trusted`);
    }
    return printDevice(ctx, await s.trustHostKey({ host, port: answer.port, fingerprint: trust, keyType: answer.keyType }));
  }
  throw new UsageError(`edgetree devices: unknown command "${command}" (see edgetree devices --help)`);
}

function identityLine(d: DeviceSummary): string {
  const i = d.identity;
  return i ? `${i.model}; ${i.os}; ${i.cpu} (${i.abi}), ${i.cores} cores, ${(i.memoryBytes / 2 ** 30).toFixed(1)} GiB` : '';
}

function printDevice(ctx: CliContext, d: DeviceSummary): number {
  if (ctx.json) printJson(ctx, d);
  else ctx.out(`added ${d.id}: ${d.name}\n  ${identityLine(d)}\n`);
  return 0;
}

function help(ctx: CliContext, code: number): number {
  if (ctx.json) printJson(ctx, { help: DEVICES_HELP });
  else ctx.out(DEVICES_HELP);
  return code;
}
