/** A request body that records how much of it a handler pulled, and whether it was cancelled. */
export interface RecordingBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Bytes handed to the reader so far. */
  readonly pulledBytes: number;
  readonly cancelled: boolean;
}

/**
 * A body of `chunks` chunks of `chunkBytes` spaces (`Infinity`: it never ends), produced only when
 * the reader asks (`highWaterMark: 0`), so `pulledBytes` is what the handler read and nothing more.
 * For tests of body limits: `new Request(url, { method: 'POST', body: body.stream, duplex: 'half' })`.
 */
export function recordingBody(options: { chunkBytes: number; chunks: number }): RecordingBody {
  let produced = 0;
  let pulledBytes = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // One macrotask per chunk, as a socket delivers them: a reader that never stops then
        // fails its test by timeout instead of spinning the worker on microtasks forever.
        await new Promise((resolve) => setImmediate(resolve));
        if (produced >= options.chunks) {
          controller.close();
          return;
        }
        produced++;
        pulledBytes += options.chunkBytes;
        controller.enqueue(new Uint8Array(options.chunkBytes).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    get pulledBytes() {
      return pulledBytes;
    },
    get cancelled() {
      return cancelled;
    },
  };
}
