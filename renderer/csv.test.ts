import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv } from './csv.ts';

test('CSV cells with commas, quotes or line breaks are quoted; missing numbers are empty', () => {
  assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1.5, null], ['two\nlines', Number.NaN]]), 'a,b\n"x,y","say ""hi"""\n1.5,\n"two\nlines",\n');
});
