/**
 * What the engine hands every port call besides its arguments. `signal` carries the call's
 * deadline (set below the effect's lease, so a slow call is abandoned before another instance may
 * claim the same effect): an adapter passes it to its HTTP client and, when it aborts, stops
 * waiting and throws its TransientError — the request may have left, so its fate is unknown.
 */
export interface CallOptions {
  readonly signal?: AbortSignal;
}
