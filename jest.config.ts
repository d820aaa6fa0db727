import type { Config } from 'jest';
import { readFileSync } from 'node:fs';

// The test file's suffix decides its tier: *.unit.spec.ts, *.int.spec.ts, *.e2e.spec.ts.
const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const tsconfig = JSON.parse(readFileSync(`${__dirname}/tsconfig.base.json`, 'utf8'));
const moduleNameMapper = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths as Record<string, string[]>).map(([alias, [target]]) => [
    `^${alias}$`,
    `<rootDir>/${target}`,
  ]),
);

const tier = (name: 'unit' | 'int' | 'e2e'): Config => ({
  displayName: name,
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: [`<rootDir>/{apps,libs,tools,e2e,bench}/**/*.${name}.spec.ts`],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper,
  setupFiles: ['reflect-metadata'],
  setupFilesAfterEnv: [`<rootDir>/tools/jest/${name}-timeout.ts`],
});

const config: Config = {
  projects: [tier('unit'), tier('int'), tier('e2e')],
};

export default config;
