import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'coverage/', 'reports/', '.stryker-tmp/', 'local/console/assets/vendor/'] },
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
);
