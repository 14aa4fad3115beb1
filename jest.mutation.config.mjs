// The jest config Stryker runs (npm run test:mutation): the unit project of
// jest.config.js, narrowed to the tests that mirror the mutated folders
// (domain, handlers, workflows, events). The unit tests of local/, tools/ and
// console/ start servers and child processes and test none of the mutated code
// directly; leaving them out keeps the dry run at ~20 s instead of ~75 s.
import jestConfig from './jest.config.js';

const unit = jestConfig.projects.find((project) => project.displayName === 'unit');
const mutatedFolders = ['domain', 'handlers', 'workflows', 'events'];

export default {
  ...unit,
  rootDir: import.meta.dirname,
  testMatch: mutatedFolders.map((folder) => `<rootDir>/test/unit/${folder}/**/*.test.ts`),
};
