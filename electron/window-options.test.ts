import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studioWindowOptions } from './window-options.ts';

test('the studio window follows the Electron security checklist', () => {
  const prefs = studioWindowOptions('/app/electron/dist/preload.cjs').webPreferences;
  assert.ok(prefs);
  assert.equal(prefs.preload, '/app/electron/dist/preload.cjs');
  assert.equal(prefs.sandbox, true, 'renderer sandboxed');
  assert.equal(prefs.contextIsolation, true, 'context isolation on');
  assert.equal(prefs.nodeIntegration, false, 'no Node in the renderer');
  assert.equal(prefs.nodeIntegrationInWorker, false, 'no Node in workers');
  assert.equal(prefs.nodeIntegrationInSubFrames, false, 'no Node in sub-frames');
  assert.equal(prefs.webSecurity, true, 'same-origin policy kept');
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.webviewTag, false, 'no <webview>');
  assert.equal(prefs.navigateOnDragDrop, false, 'dropping a file does not navigate away');
  assert.equal('enableRemoteModule' in prefs, false, 'no remote module');
});
