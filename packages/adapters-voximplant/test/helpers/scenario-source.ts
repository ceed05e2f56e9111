import { readFileSync } from 'node:fs';
import { SCENARIO_FILE } from '../../src/scenario-file.js';

/** The scenario exactly as shipped: the file a shop uploads to Voximplant. */
export const scenarioSource = readFileSync(SCENARIO_FILE, 'utf8');
