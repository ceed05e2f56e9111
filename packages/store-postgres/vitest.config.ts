import { randomInt } from 'node:crypto';
import shared from '../../vitest.shared.ts';
import { parseSeed } from '../sdk/test/support/seed.ts';

// One seed for the run's random choices (the dashboard agreement test), as the SDK's config sets
// it, inherited by the test workers through the environment. PROZVON_SEED replays a run.
const seed = parseSeed(process.env.PROZVON_SEED ?? String(randomInt(0xffff_ffff)));
process.env.PROZVON_SEED = String(seed);
process.stdout.write(`test seed: ${seed} (replay with PROZVON_SEED=${seed})\n`);

export default shared;
