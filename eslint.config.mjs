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

export default [
  { ignores: ['node_modules/**', 'dist/**', '.local/**', '.nx/**', 'coverage/**', 'tools/lint-fixtures/**'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:wiring', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:adapter'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:adapter'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:adapter', 'type:wiring', 'type:testing'],
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
            { sourceTag: 'scope:rollout-command', onlyDependOnLibsWithTags: ['scope:rollout-command', 'scope:shared'] },
            {
              sourceTag: 'scope:group-orchestrator',
              onlyDependOnLibsWithTags: ['scope:group-orchestrator', 'scope:shared'],
            },
            { sourceTag: 'scope:action-dispatch', onlyDependOnLibsWithTags: ['scope:action-dispatch', 'scope:shared'] },
            { sourceTag: 'scope:reporting', onlyDependOnLibsWithTags: ['scope:reporting', 'scope:shared'] },
            {
              sourceTag: 'scope:device-simulator',
              onlyDependOnLibsWithTags: ['scope:device-simulator', 'scope:shared'],
            },
          ],
        },
      ],
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
    files: ['**/*.spec.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
