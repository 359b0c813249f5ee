/** edgetree deploy --device ID --bundle DIR [--remote-root PATH] */
import { resolve } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, requiredString, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import type { DeployStatus } from '../../api/deploy-api.ts';
import { watchJob } from './watch-job.ts';

export const DEPLOY_HELP = `Usage:
  edgetree deploy --device ID --bundle DIR [--remote-root PATH] [--json]

Pushes a bundle (edgetree package) to a device (local, ssh:..., adb:...) into a staging
folder with progress, checks every file's SHA-256 on the device (sha256sum; a device
without one has its files pulled back and checked here, and the output says so), then
switches <root>/current to it in one rename and keeps the bundle it replaced as
<root>/previous. An interrupted deploy leaves the previous bundle current. Default
root: /data/local/tmp/edgetree (ADB), ~/.edgetree/device (SSH), $EDGETREE_HOME/device
(local). Ctrl-C cancels before the switch. Layout and steps: deploy/README.md.
`;

export async function runDeploy(args: string[], ctx: CliContext): Promise<number> {
  const name = 'deploy';
  const parsed = parseCommand(name, args, { device: { type: 'string', short: 'd' }, bundle: { type: 'string' }, 'remote-root': { type: 'string' } });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: DEPLOY_HELP });
    else ctx.out(DEPLOY_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no positional arguments (see edgetree deploy --help)`);
  const deviceId = requiredString(name, parsed, 'device');
  const bundleDir = resolve(requiredString(name, parsed, 'bundle'));
  const remoteRoot = stringOption(parsed, 'remote-root');
  const s = ctx.services();
  const started = await s.startDeploy({ deviceId, bundleDir, ...(remoteRoot !== undefined && { remoteRoot }) });
  if (!ctx.json) ctx.err(`deploy run ${started.runId}: ${bundleDir} to ${deviceId}:${started.remoteRoot}\n`);
  const st = (await watchJob(ctx, started.runId, () => s.deployStatus({ runId: started.runId }), (id) => s.cancelJob({ runId: id }), () => s.idle())) as DeployStatus;
  if (ctx.json) printJson(ctx, st);
  else if (st.result) {
    const r = st.result;
    ctx.out(`current on ${deviceId}: ${r.remoteDir}\n  ${r.files} files, ${(r.bytes / 1024).toFixed(1)} KiB, pushed in ${(r.pushMs / 1000).toFixed(2)} s, `
      + `checksums checked ${r.verifiedOn === 'device' ? 'on the device' : 'here after pulling the files back (the device has no sha256sum)'} in ${(r.verifyMs / 1000).toFixed(2)} s\n`
      + `  previous: ${r.previous ?? 'none (first deploy)'}\n`);
  } else ctx.err(`deploy ${st.status}: ${st.error?.message ?? st.message}\n`);
  return st.status === 'done' ? 0 : 1;
}
