/**
 * Type checking runs once in `npm test` (tsc); jest only transpiles, which keeps it fast: ts-jest
 * does so for `isolatedModules` in tsconfig.json (its own option of that name is deprecated).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': 'ts-jest' },
};
