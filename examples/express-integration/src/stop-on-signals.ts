/**
 * Stops gracefully on SIGINT or SIGTERM, then exits. Ctrl-C under `npm start` arrives twice (the
 * terminal signals the whole process group and npm forwards it too): a repeat within two seconds
 * is that echo; a later one means "do not wait".
 */
export function stopOnSignals(stop: () => Promise<unknown>): void {
  let signalledAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalledAt !== undefined) {
      if (Date.now() - signalledAt > 2_000) process.exit(1);
      return;
    }
    signalledAt = Date.now();
    console.log(`\n${signal}: stopping…`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
