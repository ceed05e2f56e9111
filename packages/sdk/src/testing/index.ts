// @prozvon/sdk/testing: what a shop's own tests (and ours) need to run the engine without services.
import '../runtime/require-node.js';

export { MemoryLeadStore } from '../stores/memory-lead-store.js';
export { AcceleratedClock } from './accelerated-clock.js';
export { type RecordingBody, recordingBody } from './recording-body.js';
export { RecordingCrm, RecordingNotifier, RecordingSms, RecordingVoice } from './recording-doubles.js';
export { SimulatedClock, settle } from './simulated-clock.js';
