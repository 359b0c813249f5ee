// Layers are enforced here, VS Code style: pure domain code (model specs, MACCs,
// latency models, reward, search, trace parsing, the API contract) may not import
// Node I/O, Electron or the DOM; the renderer sees only the typed API contract.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'net', 'http', 'https', 'dgram', 'dns', 'tls',
  'worker_threads', 'cluster', 'crypto', 'stream', 'readline', 'zlib', 'process', 'module', 'url', 'util', 'vm',
];
const nodeImportPatterns = ['node:*', ...nodeBuiltins];

// runtime/core runs in a phone's browser as well as in Node: no Node built-ins either.
const domainFolders = ['dnn/**', 'latency/**', 'search/**', 'traces/**', 'api/**', 'runtime/core/**'];
const domainRestriction = {
  patterns: [
    { group: nodeImportPatterns, message: 'Pure domain code imports no Node I/O: pass data in, keep I/O in services/, profiles/ or native-bridge/.' },
    { group: ['electron', 'electron/*'], message: 'Pure domain code imports no Electron.' },
    { group: ['react', 'react-dom', 'react-dom/*', 'recharts'], message: 'Pure domain code imports no UI.' },
    { group: ['better-sqlite3', '**/profiles/**', '**/services/**', '**/server/**', '**/cli/**', '**/electron/**', '**/renderer/**', '**/native-bridge/**', '**/profiler/**'], message: 'Pure domain code depends on nothing outside the domain.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '**/dist/**', 'out/**', '.vite/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'No default exports: name what you export.' }],
    },
  },
  {
    files: domainFolders.map((f) => `${f}/*.ts`).concat(domainFolders.map((f) => f.replace('/**', '/*.ts'))),
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: { 'no-restricted-imports': ['error', domainRestriction] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts', 'renderer/**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeImportPatterns, message: 'The renderer has no Node: it talks only to the typed StudioApi.' },
          { group: ['electron', 'electron/*', 'better-sqlite3', '**/profiles/**', '**/services/**', '**/server/**', '**/cli/**', '**/electron/**', '**/native-bridge/**', '**/profiler/**'], message: 'The renderer sees only api/ (the typed contract) and pure domain types.' },
        ],
      }],
    },
  },
  {
    // Tool configs must default-export by their tools' own contracts.
    files: ['eslint.config.js', '**/vite.config.ts', 'forge.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
