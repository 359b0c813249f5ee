import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateRequest, InvalidRequestError, MAX_TRACE_CONTENT_CHARS, MAX_NAME_CHARS } from './validate-request.ts';

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InvalidRequestError, `expected InvalidRequestError, got ${String(err)}`);
    assert.equal(err.name, 'InvalidRequestError');
    assert.match(err.message, pattern);
    return true;
  });
}

describe('validateRequest', () => {
  test('accepts a well-formed showModel request and returns only its fields', () => {
    assert.deepEqual(validateRequest('showModel', { name: 'vgg11', dataset: 'cifar10' }), { name: 'vgg11', dataset: 'cifar10' });
  });

  test('deviceInfo needs an id; listValidations takes an optional deviceId', () => {
    assert.deepEqual(validateRequest('deviceInfo', { id: 'ssh:pi@board:22' }), { id: 'ssh:pi@board:22' });
    rejects(() => validateRequest('deviceInfo', {}), /^deviceInfo: field "id"/);
    assert.deepEqual(validateRequest('listValidations', {}), {});
    assert.deepEqual(validateRequest('listValidations', { deviceId: 'local' }), { deviceId: 'local' });
    rejects(() => validateRequest('listValidations', { deviceId: 7 }), /^listValidations: field "deviceId"/);
    rejects(() => validateRequest('listValidations', { device: 'local' }), /listValidations/);
  });

  test('startCalibration takes an optional transfer switch', () => {
    assert.deepEqual(validateRequest('startCalibration', { deviceId: 'local', suite: 'quick', transfer: false }), { deviceId: 'local', suite: 'quick', transfer: false });
    rejects(() => validateRequest('startCalibration', { deviceId: 'local', suite: 'quick', transfer: 'no' }), /^startCalibration: field "transfer" must be true or false, got "no"$/);
  });

  test('names the method and the field that is wrong', () => {
    rejects(() => validateRequest('showModel', { name: 'vgg11', dataset: 'imagenet' }), /^showModel: field "dataset" must be one of cifar10, fashion-mnist, got "imagenet"$/);
    rejects(() => validateRequest('showModel', { name: 42, dataset: 'cifar10' }), /showModel: field "name" must be a string, got number/);
    rejects(() => validateRequest('showTrace', { id: '' }), /showTrace: field "id" must not be empty/);
  });

  test('rejects names longer than 256 characters', () => {
    assert.equal(validateRequest('showTrace', { id: 'x'.repeat(MAX_NAME_CHARS) }).id.length, 256);
    rejects(() => validateRequest('showTrace', { id: 'x'.repeat(257) }), /showTrace: field "id" is 257 characters long; the limit is 256/);
  });

  test('rejects trace content over 64 MiB', () => {
    assert.equal(MAX_TRACE_CONTENT_CHARS, 67108864);
    const big = 'a'.repeat(MAX_TRACE_CONTENT_CHARS + 1);
    rejects(() => validateRequest('importTrace', { fileName: 'big.log', content: big }), /importTrace: field "content" is 67108865 characters long; the limit is 67108864/);
  });

  test('importTrace keeps the optional CSV options and checks their values', () => {
    const req = { fileName: 'a.csv', content: 't,r\n0,1\n', format: 'csv', timeColumn: 't', rateColumn: 'r', rateUnit: 'kbps' };
    assert.deepEqual(validateRequest('importTrace', req), req);
    rejects(() => validateRequest('importTrace', { ...req, rateUnit: 'Gbps' }), /importTrace: field "rateUnit" must be one of bps, Bps, kbps, Mbps, got "Gbps"/);
    rejects(() => validateRequest('importTrace', { ...req, format: 'pcap' }), /field "format"/);
  });

  test('rejects requests that are not plain objects or carry unknown fields', () => {
    rejects(() => validateRequest('listModels', null), /listModels: the request must be an object, got null/);
    rejects(() => validateRequest('listModels', ['x']), /got an array/);
    rejects(() => validateRequest('listTraces', { sql: 'drop table traces' }), /listTraces: field "sql" is not part of this request/);
    assert.deepEqual(validateRequest('listTraces', {}), {});
  });

  test('importModel requires base64 content', () => {
    assert.deepEqual(validateRequest('importModel', { fileName: 'm.onnx', contentBase64: 'AAEC' }), { fileName: 'm.onnx', contentBase64: 'AAEC' });
    rejects(() => validateRequest('importModel', { fileName: 'm.onnx', contentBase64: 'not base64!' }), /importModel: field "contentBase64" is not base64/);
  });

  test('estimate checks the cut and the bandwidth', () => {
    const ok = { profileId: 'p1', model: 'vgg11', dataset: 'cifar10', cut: 3, bandwidthMbps: 2.5 };
    assert.deepEqual(validateRequest('estimate', ok), ok);
    rejects(() => validateRequest('estimate', { ...ok, cut: 1.5 }), /estimate: field "cut" must be an integer >= 0, got 1.5/);
    rejects(() => validateRequest('estimate', { ...ok, bandwidthMbps: 0 }), /estimate: field "bandwidthMbps" must be a finite number > 0, got 0/);
  });

  test('fitProfileFromModels takes one of csv and toolOutputs, and a profile or a device and name', () => {
    const csv = { fileName: 't.csv', content: 'model,ms\nvgg11,1\n' };
    assert.deepEqual(validateRequest('fitProfileFromModels', { csv, profileId: '3' }), { csv, profileId: '3' });
    const toolOutputs = { folder: 'saved', files: [{ name: 'vgg11.txt', text: 'x' }] };
    assert.deepEqual(validateRequest('fitProfileFromModels', { toolOutputs, deviceId: 'pi', name: 'n', dataset: 'cifar10' }), { toolOutputs, deviceId: 'pi', name: 'n', dataset: 'cifar10' });
    rejects(() => validateRequest('fitProfileFromModels', { csv, toolOutputs, profileId: '3' }), /^fitProfileFromModels: field "toolOutputs" cannot come with "csv": give the timings one way$/);
    rejects(() => validateRequest('fitProfileFromModels', { profileId: '3' }), /field "csv" or "toolOutputs" must hold the timings/);
    rejects(() => validateRequest('fitProfileFromModels', { csv, name: 'n' }), /^fitProfileFromModels: field "deviceId" must be a string, got nothing$/);
    rejects(() => validateRequest('fitProfileFromModels', { csv: { ...csv, sql: 1 }, profileId: '3' }), /field "csv\.sql" is not part of this request/);
    rejects(() => validateRequest('fitProfileFromModels', { csv: { fileName: 't.csv', content: 7 }, profileId: '3' }), /field "csv\.content" must be a string, got number/);
    rejects(() => validateRequest('fitProfileFromModels', { toolOutputs: { folder: 'saved', files: [] }, profileId: '3' }), /field "toolOutputs\.files" must be a list of 1 to 1000 files/);
    rejects(() => validateRequest('fitProfileFromModels', { toolOutputs: { folder: 'saved', files: [{ name: 'a.txt' }] }, profileId: '3' }), /field "toolOutputs\.files\[0\]\.text" must be a string/);
    rejects(() => validateRequest('fitProfileFromModels', { csv, profileId: '3', dataset: 'imagenet' }), /field "dataset" must be one of cifar10, fashion-mnist/);
  });
});
