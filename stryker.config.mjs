// Mutation testing (npm run test:mutation): Stryker changes the code of the
// four folders below one small mutation at a time and runs the unit tests
// that cover it; a mutant that no test notices "survived". See
// docs/mutation-testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.mjs', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'domain/**/*.ts',
    'handlers/**/*.ts',
    'workflows/**/*.ts',
    'events/**/*.ts',
    // A command-line entry point that writes the schema files; its output is checked by test/unit/events/catalog.test.ts.
    '!events/catalog/generate.ts',
  ],
  coverageAnalysis: 'perTest',
  // The saga definition and the key prefixes are built when a module loads: their mutants are "static" and
  // cost a run of every related test each, but they are the Retry and Catch lists the saga's safety rests on.
  ignoreStatic: false,
  // Two cores shared with other work.
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // The report and the tools/mutation-score.ts table are the output; CI runs npm test only, so no break threshold.
  thresholds: { high: 85, low: 70, break: null },
  timeoutMS: 10000,
};
