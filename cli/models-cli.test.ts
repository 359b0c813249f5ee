import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import type { ModelDetail, ModelSummary } from '../api/studio-api.ts';

const cli = createCliHome();
after(() => cli.dispose());

describe('edgetree models', () => {
  test('models show vgg11 --dataset cifar10 --json: totals and layers by hand', () => {
    const r = cli.run('models', 'show', 'vgg11', '--dataset', 'cifar10', '--json');
    assert.equal(r.code, 0, r.stderr);
    const d = r.json<ModelDetail>();
    assert.equal(d.name, 'vgg11');
    assert.equal(d.dataset, 'cifar10');
    // 9*(32^2*3*64 + 16^2*64*128 + 8^2*(128*256 + 256^2) + 4^2*(256*512 + 512^2) + 2^2*2*512^2) + 2*512^2 + 512*10
    assert.equal(d.macc, 153_293_824);
    // conv weights+biases 9,220,480 + bn 4*2,752 + fc 2*262,656 + 5,130
    assert.equal(d.params, 9_761_930);
    assert.equal(d.layers.reduce((s, l) => s + l.macc, 0), d.macc);
    const first = d.layers[0];
    assert.deepEqual(
      { index: first.index, type: first.type, kernel: first.kernel, stride: first.stride, padding: first.padding, outChannels: first.outChannels, macc: first.macc, outputBytes: first.outputBytes },
      { index: 0, type: 'conv', kernel: 3, stride: 1, padding: 1, outChannels: 64, macc: 9 * 3 * 64 * 32 * 32, outputBytes: 32 * 32 * 64 * 4 },
    );
    const pool1 = d.layers[3];
    assert.deepEqual([pool1.type, pool1.kernel, pool1.stride, pool1.outputBytes], ['maxpool', 2, 2, 16 * 16 * 64 * 4]);
    const last = d.layers[d.layers.length - 1];
    assert.deepEqual([last.type, last.outChannels, last.macc], ['fc', 10, 5120]);
  });

  test('fashion-mnist changes only the first conv: 1 input channel instead of 3', () => {
    const d = cli.run('models', 'show', 'vgg11', '--dataset', 'fashion-mnist', '--json').json<ModelDetail>();
    assert.equal(d.macc, 153_293_824 - 9 * 2 * 64 * 32 * 32);
    assert.deepEqual(d.inputShape, [32, 32, 1]);
  });

  test('human output is a table with a total row', () => {
    const r = cli.run('models', 'show', 'vgg11');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /153,293,824 MACC/);
    assert.match(r.stdout, / total +153,293,824 +9,761,930$/m);
  });

  test('import a spec file, list it after the builtins, show it by name and by file', () => {
    const file = join(cli.home, 'tiny.json');
    const spec = { name: 'tiny', inputShape: [4, 4, 1], layers: [{ id: 'c', type: 'conv', kernel: 3, outChannels: 2 }, { id: 'f', type: 'flatten' }, { id: 'd', type: 'fc', outChannels: 3 }] };
    writeFileSync(file, JSON.stringify({ format: 'edgetree-model-spec', version: 1, model: spec }));
    const byFile = cli.run('models', 'show', file, '--json').json<ModelDetail>();
    assert.equal(byFile.macc, 9 * 2 * 4 + 8 * 3);
    assert.equal(cli.run('models', 'list', '--json').json<ModelSummary[]>().length, 3, 'show FILE stores nothing');

    const imp = cli.run('models', 'import', file, '--json');
    assert.equal(imp.code, 0, imp.stderr);
    assert.deepEqual(imp.json(), { name: 'tiny', source: 'imported', format: 'spec-json', layerCount: 3 });
    const list = cli.run('models', 'list', '--json').json<ModelSummary[]>();
    assert.deepEqual(list.map((m) => m.name), ['vgg11', 'alexnet', 'resnet18', 'tiny']);
    assert.equal(cli.run('models', 'show', 'tiny', '--json').json<ModelDetail>().params, 20 + 27);
  });

  test('errors: unknown model exits 1 with a JSON error; bad usage exits 2', () => {
    const r = cli.run('models', 'show', 'nope', '--json');
    assert.equal(r.code, 1);
    const body = r.json<{ error: { name: string; message: string } }>();
    assert.equal(body.error.name, 'NotFoundError');
    assert.match(body.error.message, /"nope"/);
    const plain = cli.run('models', 'show', 'nope');
    assert.equal(plain.code, 1);
    assert.equal(plain.stdout, '');
    assert.match(plain.stderr, /"nope"/);
    const usage = cli.run('models', 'show', 'vgg11', '--dataset', 'imagenet', '--json');
    assert.equal(usage.code, 2);
    assert.equal(usage.json<{ error: { name: string } }>().error.name, 'UsageError');
    assert.equal(cli.run('models', 'show', 'vgg11', '--bogus').code, 2);
  });
});
