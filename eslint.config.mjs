import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Frameworks and drivers that domain code (deciders, workflows) must never import.
const infrastructureModules = [
  '@nestjs/*',
  'kafkajs',
  'pg',
  'typeorm',
  '@fleetwave/event-store',
  '@fleetwave/messaging',
];

const layer = (sourceTag, allowed, testing) => ({
  sourceTag,
  onlyDependOnLibsWithTags: testing ? [...allowed, 'type:testing'] : allowed,
});

/** Layer and scope rules; tests (`testing`) may also use the shared test helpers. */
const boundaries = (testing) => ({
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    layer('type:contracts', ['type:contracts'], false),
    layer('type:util', ['type:contracts', 'type:util'], testing),
    layer('type:adapter', ['type:contracts', 'type:util'], testing),
    layer('type:wiring', ['type:contracts', 'type:util', 'type:adapter'], testing),
    layer('type:testing', ['type:contracts', 'type:util', 'type:adapter'], testing),
    layer('type:app', ['type:contracts', 'type:util', 'type:adapter', 'type:wiring', 'type:testing'], testing),
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    ...['gateway', 'rollout-command', 'group-orchestrator', 'action-dispatch', 'reporting', 'device-simulator'].map(
      (service) => ({ sourceTag: `scope:${service}`, onlyDependOnLibsWithTags: [`scope:${service}`, 'scope:shared'] }),
    ),
  ],
});

export default [
  { ignores: ['node_modules/**', 'dist/**', '.local/**', '.nx/**', 'coverage/**', 'tools/lint-fixtures/**'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Domain code is framework-free: deciders and workflows import no framework or driver.
    files: ['apps/*/src/**/domain/**/*.ts', 'apps/*/src/**/target-filter/**/*.ts'],
    ignores: ['**/*.int.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: infrastructureModules }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts', '**/test-support/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(true)],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
