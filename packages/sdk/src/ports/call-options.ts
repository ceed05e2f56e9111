/** What the engine gives every port call: a signal that aborts at the call's deadline. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}
