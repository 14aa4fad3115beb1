// Test groups mirror DESIGN.md: unit (no network), infra (CDK assertions),
// workflow (local ASL engine + DynamoDB Local), e2e (the local runtime).
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

const moduleNameMapper = {
  '^#handlers/(.*)$': '<rootDir>/handlers/$1',
  '^#events/(.*)$': '<rootDir>/events/$1',
  '^#domain/(.*)$': '<rootDir>/domain/$1',
  '^#commons/(.*)$': '<rootDir>/handlers/commons/$1',
  '^#workflows/(.*)$': '<rootDir>/workflows/$1',
  '^#infra/(.*)$': '<rootDir>/infra/$1',
  '^#local/(.*)$': '<rootDir>/local/$1',
  '^#tools/(.*)$': '<rootDir>/tools/$1',
  '^#test/(.*)$': '<rootDir>/test/$1',
};

const project = (name) => ({
  displayName: name,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // aws-local-stepfunctions and jose ship ESM; let swc turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(aws-local-stepfunctions|jose)/)'],
  moduleNameMapper,
  setupFilesAfterEnv: [`<rootDir>/test/support/timeouts/${name}.ts`],
});

module.exports = {
  projects: [project("unit"), project("infra"), project("workflow"), project("e2e")],
};
