import { fileURLToPath } from 'node:url';

/**
 * The shipped VoxEngine scenario, to upload to the Voximplant application (control panel, or the
 * management API's AddScenario) or to hand to the testkit's simulator. `src/` and `dist/` sit at
 * the same depth, so the path is right from sources and from the build alike.
 */
export const SCENARIO_FILE = fileURLToPath(new URL('../scenario/prozvon-callback.js', import.meta.url));
