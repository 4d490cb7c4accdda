import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const resolver = fileURLToPath(new URL('./scripts/eslint-liexi-resolver.cjs', import.meta.url));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'scripts/*.cjs',
      'jest.config.cjs',
      'eslint.config.mjs',
      'apps/web/vite.config.mjs',
      'test-artifacts/**',
      'libs/client/src/schema.ts', // generated (npm run client:generate)
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The house plan's import boundaries (STYLE.md): apps and libraries, each library one element.
  // Across elements only a library's entry point (`@liexi/<lib>` = libs/<lib>/src/index.ts) may be
  // imported — never another's entities, services' internals or files; no library imports an app;
  // contracts import no library, platform only contracts, the demo seed only the apps.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { [resolver]: {} },
      'boundaries/elements': [
        { type: 'app', pattern: 'apps/*', capture: ['app'] },
        { type: 'lib', pattern: 'libs/*', capture: ['lib'] },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: 'the house plan (STYLE.md) forbids this import between apps and libraries',
          policies: [
            {
              from: { element: { type: 'app' } },
              allow: { to: { element: { type: 'lib', fileInternalPath: 'src/index.ts' } } },
            },
            {
              from: { element: { type: 'lib', captured: { lib: 'contracts' } } },
              allow: {
                to: {
                  element: { type: 'lib', captured: { lib: 'contracts' }, fileInternalPath: 'src/index.ts' },
                },
              },
            },
            {
              from: { element: { type: 'lib', captured: { lib: 'platform' } } },
              allow: {
                to: {
                  element: {
                    type: 'lib',
                    captured: { lib: '{platform,contracts}' },
                    fileInternalPath: 'src/index.ts',
                  },
                },
              },
            },
            {
              from: { element: { type: 'lib', captured: { lib: '!{platform,contracts,demo}' } } },
              allow: {
                to: {
                  element: { type: 'lib', captured: { lib: '!demo' }, fileInternalPath: 'src/index.ts' },
                },
              },
            },
            {
              from: { element: { type: 'lib', captured: { lib: 'demo' } } },
              allow: { to: { element: { type: 'lib', fileInternalPath: 'src/index.ts' } } },
            },
          ],
        },
      ],
      // An entity never leaves its context, whatever an index re-exports.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@liexi/*'],
              importNamePattern: 'Entity$',
              message: 'entities stay inside their context: use its service and views',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests read JSON answers: `any` there is the wire, asserted by expect().
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The screens (React): the rules of hooks on top of the typed rules above.
    files: ['apps/web/**/*.tsx', 'apps/web/**/*.ts'],
    ...reactHooks.configs.flat.recommended,
  },
);
