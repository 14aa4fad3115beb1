import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { FaultInjector, FunctionError, type FaultPlan, type FunctionInvoker, type LocalFunction } from '#local/index';

/**
 * Invokes the template's functions by running their handler's source module
 * in this process, as Lambda would run the bundle: the event and the result
 * go through JSON, a thrown error becomes a FunctionError named after the
 * error (Lambda's errorType), and faults come from the same fault plan the
 * local Lambda runtime applies at its invoke boundary.
 *
 * The template names each function's handler in POWERTOOLS_SERVICE_NAME
 * (the handler's file name), which is how a function ARN finds its module.
 */
const HANDLERS_DIR = resolve(__dirname, '../../../handlers');
const HANDLER_FILES = new Set(readdirSync(HANDLERS_DIR).filter((file) => file.endsWith('.ts')));

type Handler = (event: unknown, context: Context) => Promise<unknown>;
const handlerModuleSchema = z.object({ handler: z.custom<Handler>((value) => typeof value === 'function', 'a handler function') });

const contextFor = (fn: LocalFunction, requestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: fn.name,
  functionVersion: '$LATEST',
  invokedFunctionArn: fn.arn,
  memoryLimitInMB: String(fn.memoryMb),
  awsRequestId: requestId,
  logGroupName: `/aws/lambda/${fn.name}`,
  logStreamName: 'in-process',
  getRemainingTimeInMillis: () => fn.timeoutSeconds * 1000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export const handlerNameOf = (fn: LocalFunction): string => {
  const name = fn.environment['POWERTOOLS_SERVICE_NAME'];
  if (!name || !HANDLER_FILES.has(`${name}.ts`)) throw new Error(`Function ${fn.logicalId} names no handler module (POWERTOOLS_SERVICE_NAME=${String(name)})`);
  return name;
};

export interface InProcessInvoker extends FunctionInvoker {
  /** The function whose handler module is `handlers/<handlerName>.ts`. */
  functionFor(handlerName: string): LocalFunction;
  /** Faults for the next invocations, keyed by handler name; replaces any faults set before. */
  injectFaults(faults: Readonly<Record<string, FaultPlan[string]>>): void;
  /**
   * Runs `effect` once, just before the next invocation of the handler: how a
   * test makes the world change between two steps (another buyer takes a
   * seat while the saga stalls). The effect receives the invocation's event.
   * Cleared with the faults.
   */
  beforeNextInvocation(handlerName: string, effect: (event: unknown) => Promise<void>): void;
}

export const inProcessInvoker = (functions: readonly LocalFunction[]): InProcessInvoker => {
  const modules = new Map<string, Promise<z.infer<typeof handlerModuleSchema>>>();
  let faults = new FaultInjector({}, functions);
  const pendingEffects = new Map<string, (event: unknown) => Promise<void>>();
  let requests = 0;

  const functionFor = (handlerName: string) => {
    const fn = functions.find((candidate) => handlerNameOf(candidate) === handlerName);
    if (!fn) throw new Error(`No function of the template runs handlers/${handlerName}.ts`);
    return fn;
  };

  const load = (fn: LocalFunction) => {
    const name = handlerNameOf(fn);
    const loaded = modules.get(name) ?? import(join(HANDLERS_DIR, `${name}.ts`)).then((module: unknown) => handlerModuleSchema.parse(module));
    modules.set(name, loaded);
    return loaded;
  };

  return {
    functionFor,
    beforeNextInvocation: (handlerName, effect) => {
      pendingEffects.set(functionFor(handlerName).logicalId, effect);
    },
    injectFaults: (byHandler) => {
      pendingEffects.clear();
      faults = new FaultInjector(
        Object.fromEntries(Object.entries(byHandler).map(([handlerName, fault]) => [functionFor(handlerName).logicalId, fault])),
        functions,
      );
    },
    invoke: async (functionNameOrArn, event) => {
      const fn = functions.find((candidate) => candidate.arn === functionNameOrArn || candidate.name === functionNameOrArn);
      if (!fn) throw new FunctionError('Lambda.ResourceNotFoundException', `Function not found: ${functionNameOrArn}`);
      const effect = pendingEffects.get(fn.logicalId);
      pendingEffects.delete(fn.logicalId);
      await effect?.(event);
      const before = faults.take(fn, 'beforeHandler');
      if (before) throw before;
      const { handler } = await load(fn);
      requests += 1;
      let result: unknown;
      try {
        result = await handler(JSON.parse(JSON.stringify(event)), contextFor(fn, `request-${requests}`));
      } catch (error) {
        const { name, message, stack } = z.object({ name: z.string(), message: z.string(), stack: z.string().optional() }).parse(error);
        throw new FunctionError(name, message, (stack ?? '').split('\n').slice(1).map((line) => line.trim()));
      }
      const after = faults.take(fn, 'afterHandler');
      if (after) throw after;
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    },
  };
};
