import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Stands in for `cls-hooked/context` in the bundles (an esbuild alias in
 * infra/constructs/functions.ts). The X-Ray SDK that Powertools' Tracer loads
 * keeps the current segment in a cls-hooked namespace, which it creates as it
 * loads, tracing on or off. cls-hooked follows that context through
 * async_hooks, with an init and a destroy hook on every promise: a handler that
 * awaits a lot (every SDK call is a chain of promises) spends twice the CPU it
 * otherwise would. AsyncLocalStorage carries the same context through the same
 * async calls, and on Node 24 costs almost nothing.
 *
 * This is the part of cls-hooked's namespace the X-Ray SDK calls, with
 * cls-hooked's meaning:
 * - a context is an object whose prototype is the context it was made in, so a
 *   nested one sees what its parents hold;
 * - `run` and `bind` run a function in a context and leave the caller's as it was;
 * - `enter` outside any `run` makes the context the process's own: the SDK does
 *   that once in Lambda, to hold the facade segment every invocation starts
 *   from, and cls-hooked keeps it active wherever no other context is.
 */

type Context = Record<PropertyKey, unknown>;

export class Namespace {
  private readonly storage = new AsyncLocalStorage<Context>();
  /** The context entered outside any run: active wherever no async call carries one. */
  private processContext: Context | undefined;

  constructor(readonly name: string) {}

  get active(): Context | undefined {
    return this.storage.getStore() ?? this.processContext;
  }

  createContext(): Context {
    return Object.create(this.active ?? Object.prototype) as Context;
  }

  enter(context: Context): void {
    if (this.storage.getStore() === undefined) this.processContext = context;
    else this.storage.enterWith(context);
  }

  /** Runs `fn` in a new context made in the active one; like cls-hooked, answers that context, not what `fn` returns. */
  run(fn: (context: Context) => void): Context {
    const context = this.createContext();
    this.storage.run(context, () => fn(context));
    return context;
  }

  bind<Args extends unknown[], Result>(fn: (...args: Args) => Result, context: Context = this.active ?? this.createContext()): (...args: Args) => Result {
    const { storage } = this;
    return function (this: unknown, ...args: Args): Result {
      return storage.run(context, () => fn.apply(this, args));
    };
  }

  set<Value>(key: PropertyKey, value: Value): Value {
    const context = this.active;
    if (context === undefined) throw new Error('No context available. ns.run() or ns.bind() must be called first.');
    context[key] = value;
    return value;
  }

  get(key: PropertyKey): unknown {
    return this.active?.[key];
  }
}

const namespaces = new Map<string, Namespace>();

export const getNamespace = (name: string): Namespace | undefined => namespaces.get(name);

export const createNamespace = (name: string): Namespace => {
  const namespace = new Namespace(name);
  namespaces.set(name, namespace);
  return namespace;
};

export const destroyNamespace = (name: string): void => {
  namespaces.delete(name);
};
