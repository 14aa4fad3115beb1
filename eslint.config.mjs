import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';

/**
 * local/ is a package with one door: its users (tools, the saga's tests,
 * `npm start`) import `#local/index` and nothing else of it, so its internals
 * can change without breaking them; only local/'s own tests (test/unit/local,
 * test/e2e/local) reach further in. The other way, local/ depends on nothing
 * of the tools or the domain: whoever starts the runtime passes in what it
 * needs (the demo seed). Relative paths are matched by their text, so any
 * `../local/...` outside local/ counts, wherever it resolves.
 */
const LOCAL_ENTRY_ONLY = 'local/ has one entry point: import from #local/index (local/index.ts), so its internals can change without breaking its users. Only its own tests (test/*/local/) import its modules directly.';
const LOCAL_DEPENDS_ON_NEITHER = "local/ imports nothing from tools/ or domain/: the runtime is started by them, not the other way round. Take what it needs as an option of startLocalRuntime (as the demo seed is).";

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'coverage/', 'reports/', '.stryker-tmp/', 'tools/console/assets/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Pure domain code depends on its context's ports; the adapters beside them call AWS.
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/adapters/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@aws-sdk/',
              message: 'Pure domain code calls no AWS SDK: declare a port in ports.ts and implement it in an adapter under domain/<context>/adapters/.',
            },
            {
              regex: '^@aws-lambda-powertools/',
              message: 'Pure domain code has no Lambda runtime concerns: logging, tracing, metrics and idempotency belong to handlers/.',
            },
            {
              regex: '^#workflows/|^\\.\\.?/(.*/)?workflows(/|$)',
              message: 'Pure domain code does not know the state machine: workflows/ depends on the domain, so take what the saga decides as a parameter or a plain type.',
            },
            {
              regex: '(^|/)adapters(/|$)',
              message: 'Pure domain code depends on ports, never on adapters: the handler wires the adapter in.',
            },
            {
              regex: '^#(handlers|commons|infra|local|tools)/',
              message: 'Pure domain code is the inside: handlers/, infra/, local/ and tools/ use it, not the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'assert*', 'expect*'] }],
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly', __dirname: 'readonly' } } },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    ignores: ['local/**', 'test/*/local/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^#local/(?!index$)', message: LOCAL_ENTRY_ONLY },
            { regex: '^(\\.{1,2}/)+local/(?!index(\\.ts)?$)', message: LOCAL_ENTRY_ONLY },
          ],
        },
      ],
    },
  },
  {
    files: ['local/**/*.ts', 'local/**/*.js', 'local/**/*.mjs'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^#(tools|domain)/', message: LOCAL_DEPENDS_ON_NEITHER },
            { regex: '^(\\.{1,2}/)+(tools|domain)/', message: LOCAL_DEPENDS_ON_NEITHER },
          ],
        },
      ],
    },
  },
);
