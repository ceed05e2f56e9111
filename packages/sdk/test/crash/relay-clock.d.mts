// Types for relay-clock.mjs, which stays JavaScript because the crash child runs it without a transform.
export declare function furthestRecorded(path: string): number;
