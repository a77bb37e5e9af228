import type { Writable } from 'node:stream';

/**
 * Writes `chunks` to `out` in order, waiting for 'drain' whenever the stream asks for it, and
 * resolves once the last chunk has been handed to the underlying resource (its write callback
 * fired), so a process that exits after awaiting this loses nothing. Rejects on a stream error.
 */
export function writeChunks(out: Writable, chunks: Iterable<string>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const iterator = chunks[Symbol.iterator]();
    let next = iterator.next();
    let settled = false;

    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      out.off('drain', pump);
      // The error listener stays attached: the stream may still emit 'error' after the callback,
      // and an unhandled 'error' event would crash the process.
      reject(err);
    };
    const succeed = (): void => {
      if (settled) return;
      settled = true;
      out.off('error', fail);
      resolve();
    };

    function pump(): void {
      try {
        while (!next.done) {
          const chunk = next.value;
          next = iterator.next();
          if (next.done) {
            out.write(chunk, (err) => (err ? fail(err) : succeed()));
            return;
          }
          if (!out.write(chunk)) {
            out.once('drain', pump);
            return;
          }
        }
        succeed(); // nothing to write at all
      } catch (err) {
        fail(err instanceof Error ? err : new Error(String(err)));
      }
    }

    out.on('error', fail);
    pump();
  });
}
