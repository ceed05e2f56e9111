import { TransientError } from '@prozvon/sdk';

/**
 * The error for a notice abandoned at the engine's deadline. Transient: a request cut off may
 * have been delivered (a duplicate seller notice is acceptable, a lost one is not), and a notice
 * still waiting for its chat's turn simply goes later.
 */
export function deadlinePassed(what: string, signal: AbortSignal): TransientError {
  return new TransientError(`Telegram: the deadline passed ${what}`, { cause: signal.reason });
}

/**
 * Waits `ms` with `sleep`, ending at once when `signal` aborts: an injected sleep (a test's fake
 * clock) may not look at the signal, so the wait is raced against it here.
 */
export function pacedWait(
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
  onAbort: () => Error,
): Promise<void> {
  if (signal === undefined) return sleep(ms);
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<void>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    sleep(ms, signal).then(
      () => {
        signal.removeEventListener('abort', abort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(signal.aborted ? onAbort() : error);
      },
    );
  });
}
