/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }],
  },
  moduleNameMapper: {
    "^cdktf-polytomic$": "<rootDir>/lib/index.ts",
    // Lazy imports in the CLI carry the .js extension that Node's CommonJS resolution of dist needs.
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  testTimeout: 300000,
  reporters: ["default", "<rootDir>/test/support/reliability-reporter.cjs"],
  // End-to-end suites run terraform and the emulator; two workers match the two cores here.
  maxWorkers: 2,
};
