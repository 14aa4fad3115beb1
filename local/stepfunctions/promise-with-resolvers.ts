/**
 * aws-local-stepfunctions calls `Promise.withResolvers` (ES2024, Node >= 22)
 * to time out Task states. Node 20 lacks it, so it is installed here, once,
 * before the engine loads the library. A native implementation is left alone.
 */
interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type PromiseWithResolvers = PromiseConstructor & { withResolvers?: <T>() => Deferred<T> };

const promiseConstructor: PromiseWithResolvers = Promise;

if (typeof promiseConstructor.withResolvers !== 'function') {
  promiseConstructor.withResolvers = <T>(): Deferred<T> => {
    let resolve!: Deferred<T>['resolve'];
    let reject!: Deferred<T>['reject'];
    const promise = new Promise<T>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    return { promise, resolve, reject };
  };
}
