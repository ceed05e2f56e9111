import fc from 'fast-check';
import { runSeed } from './seed.js';

// Every property test of the run draws from the run's seed (printed when vitest starts):
// PROZVON_SEED=<seed> replays them all. fast-check also prints a failing case's seed and path.
fc.configureGlobal({ seed: runSeed() });
