/** Polls `read` until `isDone` holds, failing loudly with the last value at the deadline. */
export const eventually = async <T>(read: () => T, isDone: (value: T) => boolean, description: string, timeoutMs = 5_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last = read();
  while (!isDone(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolvePoll) => setTimeout(resolvePoll, 5));
    last = read();
  }
  return last;
};
