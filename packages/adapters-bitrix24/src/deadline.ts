import { TransientError } from '@prozvon/sdk';

/**
 * The error for a call abandoned at its deadline. Transient, because it is ambiguous: the request
 * may have reached the portal and been performed; the engine finds out through its look-ups
 * (ORIGIN_ID for a lead), never by re-sending blindly.
 */
export function deadlinePassed(what: string, signal: AbortSignal): TransientError {
  return new TransientError(`Bitrix24 ${what}: the deadline passed before an answer came`, {
    cause: signal.reason,
  });
}

/**
 * `promise`, or a rejection with `onAbort()` as soon as `signal` aborts, whichever comes first.
 * The abandoned promise keeps running; its eventual rejection is swallowed here.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: () => Error,
): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
