/**
 * Jest: TypeScript unit tests of the SDK and the room server (tests/unit), and the room server's
 * integration tests (tests/server: the built server as a child process, with and without Janus).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/unit', '<rootDir>/tests/server'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/unit/tsconfig.json' }],
  },
  // import.meta is ESM-only; ts-jest compiles to CommonJS, so the SDK's script-URL module is
  // replaced with a fixed URL (the loader's URL logic is what the tests check).
  moduleNameMapper: {
    '^(.*/)?script-url$': '<rootDir>/tests/unit/support/script-url.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
