// Imported first by every entry of @prozvon/sdk, for its side effect: on an older Node the import
// fails here with the version needed and the version found, before any module that uses a
// Node 24 API runs. Those modules reach such APIs without named imports (engine/lead-id.ts,
// stores/sqlite/connection.ts): a missing named export fails while the module graph is linked,
// before this module could evaluate.
import { assertNodeVersion } from './node-version.js';

assertNodeVersion('@prozvon/sdk');
