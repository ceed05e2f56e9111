import { readFileSync } from 'node:fs';

/** The scenario exactly as shipped: the file a shop uploads to Voximplant. */
export const SCENARIO_PATH = new URL('../../scenario/prozvon-callback.js', import.meta.url);
export const scenarioSource = readFileSync(SCENARIO_PATH, 'utf8');
