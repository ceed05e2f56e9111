import { Worker } from 'node:worker_threads';

/**
 * Runs one of this folder's worker scripts (claim-, counter-, hammer-worker.ts) on `data` and
 * resolves with the one message it posts. The worker must exit 0 too, unless `anyExit`: the
 * hammer reports its errors in its result, so how it exits is not the test's question.
 */
export function runWorker<Data, Result>(
  script: string,
  data: Data,
  options: { anyExit?: boolean } = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(script, import.meta.url), { workerData: data, execArgv: [] });
    let result: Result | undefined;
    worker.once('message', (message: Result) => {
      result = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      result !== undefined && (code === 0 || options.anyExit)
        ? resolve(result)
        : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}
