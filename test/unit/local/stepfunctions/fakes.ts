import { FunctionError, type FunctionInvoker } from '#local/ports';

/**
 * A FunctionInvoker over plain async functions, keyed by function name or
 * ARN, recording every call. A handler that throws an Error behaves like a
 * Lambda function error (errorType = the error's name).
 */
export type FakeFunction = (event: unknown) => Promise<unknown>;

export const fakeInvoker = (functions: Record<string, FakeFunction>) => {
  const calls: Array<{ functionName: string; event: unknown }> = [];
  const invoker: FunctionInvoker = {
    invoke: async (functionName, event) => {
      calls.push({ functionName, event });
      const fn = functions[functionName];
      if (!fn) throw Object.assign(new Error(`Function not found: ${functionName}`), { name: 'ResourceNotFoundException' });
      try {
        return await fn(event);
      } catch (error) {
        if (error instanceof Error) throw new FunctionError(error.name, error.message, ['at fake']);
        throw error;
      }
    },
  };
  return { invoker, calls };
};

export const namedError = (name: string, message = `${name} happened`): Error => Object.assign(new Error(message), { name });

/** Fails the first `times` calls with `error`, then returns `result`. */
export const failingTimes = (times: number, error: () => Error, result: unknown): FakeFunction => {
  let calls = 0;
  return async () => {
    calls += 1;
    if (calls <= times) throw error();
    return result;
  };
};

/** A function whose calls wait until `release` is called (before or after they start). */
export const heldUntilReleased = (result: unknown = {}) => {
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const fn: FakeFunction = async () => {
    await released;
    return result;
  };
  return { fn, release: () => release() };
};
