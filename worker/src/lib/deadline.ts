export class DeadlineExceeded extends Error {
  override name = "DeadlineExceeded";
}

/**
 * Runs an outbound call with a hard deadline. The signal asks the transport to stop, but not every transport
 * honours it (a service binding may not), so the deadline also wins the race on its own.
 */
export async function withDeadline<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new DeadlineExceeded(`no answer within ${ms} ms`));
      reject(new DeadlineExceeded(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } catch (err) {
    const name = err instanceof Error ? err.name : undefined;
    if (controller.signal.aborted || name === "TimeoutError" || name === "AbortError")
      throw new DeadlineExceeded(`no answer within ${ms} ms`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
