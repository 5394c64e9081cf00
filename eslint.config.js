// Flat config: typescript-eslint's recommended rules, without type-aware
// linting (tsc --noEmit already type-checks in CI).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench-results/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', queueMicrotask: 'readonly', performance: 'readonly', AbortController: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', setImmediate: 'readonly', clearImmediate: 'readonly', URLSearchParams: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @herald/config.' }],
    },
  },
  {
    // TypeScript itself reports undefined names, with the real lib types (typescript-eslint's advice).
    files: ['**/*.ts'],
    rules: { 'no-undef': 'off' },
  },
  {
    // The config lib is the one reader of process.env; tests and scripts set up their own processes.
    files: ['libs/config/**', 'test/**', 'scripts/**', 'bench/**', '**/*.spec.ts', '**/*.mjs'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
