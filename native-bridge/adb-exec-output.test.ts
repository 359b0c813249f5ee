import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAdbOutput, wrapAdbCommand } from './adb-exec-output.ts';

function runWrapped(command: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgetree-wrap-'));
  try {
    // Run the wrapper with a real sh, as adbd would; `|| true` because sh's own status is not the point.
    return execFileSync('sh', ['-c', `${wrapAdbCommand(command, join(dir, 'err'))} || true`]).toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ADB shell wrapper', () => {
  test('separates stdout, stderr and the exit status of a command, even one that calls exit', () => {
    const parsed = parseAdbOutput(runWrapped('echo out; echo err >&2; exit 4'));
    assert.equal(parsed.stdout, 'out\n');
    assert.equal(parsed.stderr, 'err\n');
    assert.equal(parsed.exitCode, 4);
    assert.ok(parsed.pid && parsed.pid > 1);
  });

  test('output without a final newline is kept exactly', () => {
    const parsed = parseAdbOutput(runWrapped("printf 'a\\nb'"));
    assert.deepEqual([parsed.stdout, parsed.stderr, parsed.exitCode], ['a\nb', '', 0]);
  });

  test('a pty-style \\r\\n stream still parses; a stream cut before the marker has no exit code', () => {
    const crlf = '__EDGETREE_PID__42\r\nhello\r\n\r\n__EDGETREE_STDERR__\r\n\r\n__EDGETREE_EXIT__1\r\n';
    assert.deepEqual(parseAdbOutput(crlf), { pid: 42, stdout: 'hello\r\n', stderr: '', exitCode: 1 });
    const cut = parseAdbOutput('__EDGETREE_PID__42\nhalf a li');
    assert.equal(cut.exitCode, undefined);
    assert.equal(cut.stdout, 'half a li');
  });
});
