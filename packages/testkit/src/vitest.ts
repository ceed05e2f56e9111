// Helpers that register Vitest tests, kept out of the main entry: the demo and `prozvon-sims` load
// the testkit outside a test run, where Vitest is not there to import. This entry takes the Vitest
// of the test run that imports it.
export { testImportOnOldNode } from './core/old-node-test.js';
