import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { assertTrustedSender, isTrustedSender, UntrustedSenderError } from './ipc-guard.ts';

const trusted = { fileUrl: 'file:///opt/edgetree/renderer/dist/index.html' };

describe('isTrustedSender', () => {
  test('accepts the app\'s own index.html, with or without a fragment', () => {
    assert.equal(isTrustedSender('file:///opt/edgetree/renderer/dist/index.html', trusted), true);
    assert.equal(isTrustedSender('file:///opt/edgetree/renderer/dist/index.html#/traces', trusted), true);
  });

  test('rejects foreign pages', () => {
    assert.equal(isTrustedSender('https://evil.example/index.html', trusted), false);
    assert.equal(isTrustedSender('file:///tmp/downloaded.html', trusted), false);
    assert.equal(isTrustedSender('file:///opt/edgetree/renderer/dist/other.html', trusted), false);
    assert.equal(isTrustedSender('file://remotehost/opt/edgetree/renderer/dist/index.html', trusted), false);
    assert.equal(isTrustedSender('http://localhost:5173/', trusted), false, 'no dev server was configured');
    assert.equal(isTrustedSender(null, trusted), false);
    assert.equal(isTrustedSender('not a url', trusted), false);
  });

  test('accepts the dev server only at its exact origin', () => {
    const dev = { ...trusted, devOrigin: 'http://localhost:5173' };
    assert.equal(isTrustedSender('http://localhost:5173/index.html', dev), true);
    assert.equal(isTrustedSender('http://localhost:5174/', dev), false);
    assert.equal(isTrustedSender('http://localhost.evil.example:5173/', dev), false);
  });

  test('assertTrustedSender names the refused frame', () => {
    assert.throws(() => assertTrustedSender('https://evil.example/', trusted), (err: unknown) => {
      assert.ok(err instanceof UntrustedSenderError);
      assert.equal(err.name, 'UntrustedSenderError');
      assert.match(err.message, /"https:\/\/evil\.example\/" is not the studio's own page/);
      return true;
    });
  });
});
