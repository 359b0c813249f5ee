// Without root, creating the shaped link must fail with a clear ShapedLinkPermissionError
// (here: the same code run as user "nobody" with setpriv), leaving nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const linkModule = fileURLToPath(new URL('./shaped-link.ts', import.meta.url));

const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];

// A checkout under a private folder (mktemp -d is 0700) cannot be read by nobody: then there is nothing to run as nobody.
const nobodyCanRead = spawnSync('setpriv', [...asNobody, 'test', '-r', linkModule]).status === 0;

test('without root the shaped link is refused with ShapedLinkPermissionError naming the command', { skip: nobodyCanRead ? false : `user nobody cannot read ${linkModule} (a folder above it is private)` }, () => {
  const script = `import(${JSON.stringify(linkModule)}).then((m) => m.createShapedLink()).then(
    () => { console.log('CREATED'); },
    (e) => { console.log(e.name + ': ' + e.message); })`;
  const r = spawnSync('setpriv', [...asNobody, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8', timeout: 30000
  });
  assert.equal(r.error, undefined);
  assert.match(r.stdout, /^ShapedLinkPermissionError: transfer calibration over a shaped link needs root \(CAP_NET_ADMIN\) to run "ip netns add edgetree-xfer-/, r.stdout + r.stderr);
});
