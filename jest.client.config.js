/**
 * The client SDK's unit tests alone, without the database servers jest.config.js starts for everything else:
 *   npx jest -c jest.client.config.js
 * (`npm test` runs them too, with the rest.) The flash sale and the cart retries need the servers and stay out of
 * this one.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/client'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testPathIgnorePatterns: ['/node_modules/', 'flashSale\\.test\\.ts$', 'cartRetries\\.test\\.ts$'],
};
