export { deriveCallRef } from '../../src/call-keys.js';
export { encodeCustomData as encodeCustomDataForTest } from '../../src/protocol/custom-data.js';
