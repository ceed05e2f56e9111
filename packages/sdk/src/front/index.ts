export { createProzvon, type Prozvon, type ProzvonOptions } from './create-prozvon.js';
