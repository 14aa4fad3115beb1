/**
 * The inside of one function's worker thread: a small stand-in for Lambda's
 * Node.js runtime interface client. It loads the function's BUNDLED module
 * (what deploys is what runs), then runs invocations the parent sends.
 *
 * This file is plain JavaScript on purpose: a worker starts a fresh Node.js
 * thread without the TypeScript loader the parent may run under (tsx, jest),
 * and the bundle must run under bare Node exactly as it does on Lambda.
 *
 * Several invocations may run here at once. That is how Lambda Managed
 * Instances run Node.js functions too: each invocation runs inside the
 * runtime's InvokeStore (an AsyncLocalStorage), which Powertools uses to keep
 * per-invocation state (log keys, Lambda context, metrics) apart when
 * AWS_LAMBDA_MAX_CONCURRENCY is set. This worker provides that store.
 *
 * Messages in:  {type:'invoke', requestId, event (JSON), deadline, invokedFunctionArn} | {type:'ping', id}
 * Messages out: {type:'ready'} | {type:'init-error', error} | {type:'result', requestId, payload (JSON)}
 *             | {type:'error', requestId, error} | {type:'crash', error} | {type:'pong', id}
 * where error = {errorType, errorMessage, trace}.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';

// CommonJS bundles (NodejsFunction's default output) are loaded the way Lambda's runtime loads them.
const loadCommonJs = createRequire(import.meta.url);

const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs'];

// The keys Lambda's runtime uses in the InvokeStore; Symbol.for makes them the same in every copy of the library.
const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const X_RAY_TRACE_ID = Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID');
const TENANT_ID = Symbol.for('_AWS_LAMBDA_TENANT_ID');
const TRACEPARENT = Symbol.for('_AWS_LAMBDA_TRACEPARENT');
const TRACESTATE = Symbol.for('_AWS_LAMBDA_TRACESTATE');
const BAGGAGE = Symbol.for('_AWS_LAMBDA_BAGGAGE');
const PROTECTED_KEYS = [REQUEST_ID, X_RAY_TRACE_ID, TENANT_ID, TRACEPARENT, TRACESTATE, BAGGAGE];

const invocations = new AsyncLocalStorage();
// State set outside any invocation (during module init) lives here, as it would in a runtime that runs one
// invocation at a time; Lambda's own multi-concurrency store throws instead, which would break handlers that
// touch Powertools at module scope.
const initPhase = {};
const current = () => invocations.getStore() ?? initPhase;
const invokeStore = {
  getContext: () => invocations.getStore(),
  hasContext: () => invocations.getStore() !== undefined,
  isProtectedKey: (key) => PROTECTED_KEYS.includes(key),
  get: (key) => current()[key],
  set(key, value) {
    if (PROTECTED_KEYS.includes(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    current()[key] = value;
  },
  run: (context, fn) => invocations.run(context, fn),
  getRequestId: () => current()[REQUEST_ID] ?? '-',
  getXRayTraceId: () => current()[X_RAY_TRACE_ID],
  getTenantId: () => current()[TENANT_ID],
  getTraceparent: () => current()[TRACEPARENT],
  getTracestate: () => current()[TRACESTATE],
  getBaggage: () => current()[BAGGAGE],
};
globalThis.awslambda = { ...(globalThis.awslambda ?? {}), InvokeStore: invokeStore };

/** Lambda reports an error as {errorType: error.name, errorMessage, trace}; a thrown non-error as its typeof. */
const toLambdaError = (error) => {
  if (error instanceof Error || (error !== null && typeof error === 'object' && 'message' in error)) {
    return {
      errorType: typeof error.name === 'string' && error.name !== '' ? error.name : 'Error',
      errorMessage: String(error.message ?? ''),
      trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
};

const runtimeError = (errorType, errorMessage) => Object.assign(new Error(errorMessage), { name: errorType });

// Like Lambda's runtime (text log format): each console line carries the time, the request id and the level,
// with newlines turned into carriage returns so one call stays one line.
const patchConsole = () => {
  const write = (stream, level) => (...args) => {
    const message = format(...args).replace(/\n/g, '\r');
    stream.write(`${new Date().toISOString()}\t${invokeStore.getRequestId()}\t${level}\t${message}\n`);
  };
  console.log = write(process.stdout, 'INFO');
  console.info = write(process.stdout, 'INFO');
  console.debug = write(process.stdout, 'DEBUG');
  console.warn = write(process.stderr, 'WARN');
  console.error = write(process.stderr, 'ERROR');
  console.trace = write(process.stderr, 'TRACE');
};

const loadHandler = async () => {
  const { codeDir, handler } = workerData;
  const dot = handler.lastIndexOf('.');
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const file = HANDLER_EXTENSIONS.map((extension) => join(codeDir, `${modulePath}${extension}`)).find((candidate) => existsSync(candidate));
  if (!file) throw runtimeError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}' in ${codeDir}`);
  let loaded;
  if (file.endsWith('.mjs')) {
    loaded = await import(pathToFileURL(file).href);
  } else {
    try {
      loaded = loadCommonJs(file);
    } catch (error) {
      if (error?.code !== 'ERR_REQUIRE_ESM') throw error;
      loaded = await import(pathToFileURL(file).href);
    }
  }
  const fn = loaded?.[exportName] ?? loaded?.default?.[exportName];
  if (typeof fn !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${handler} is undefined or not exported`);
  return fn;
};

const contextFor = (message) => {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: workerData.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: String(workerData.memoryMb),
    awsRequestId: message.requestId,
    logGroupName: workerData.logGroupName,
    logStreamName: workerData.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
  return context;
};

/** Runs one invocation: async handlers resolve, callback handlers call back; the first answer wins. */
const invoke = (handlerFunction, message) =>
  invokeStore.run({ [REQUEST_ID]: message.requestId }, () =>
    new Promise((resolve, reject) => {
      const callback = (error, result) => (error === null || error === undefined ? resolve(result) : reject(error));
      const event = JSON.parse(message.event);
      const returned = handlerFunction(event, contextFor(message), callback);
      if (returned !== null && typeof returned === 'object' && typeof returned.then === 'function') returned.then(resolve, reject);
    }),
  );

const serialize = (result) => {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch (error) {
    throw runtimeError('Runtime.MarshalError', `Unable to marshal response: ${error?.message ?? String(error)}`);
  }
};

const reportCrash = (error) => {
  parentPort.postMessage({ type: 'crash', error: toLambdaError(error) });
  process.exit(1);
};

const main = async () => {
  // NODE_OPTIONS reaches Lambda's process, but a worker thread takes no node options: apply the one bundles use.
  if (/--enable-source-maps\b/.test(process.env.NODE_OPTIONS ?? '')) process.setSourceMapsEnabled(true);
  process.on('uncaughtException', reportCrash);
  process.on('unhandledRejection', (reason) => {
    const { errorType, errorMessage, trace } = toLambdaError(reason);
    reportCrash(Object.assign(new Error(`${errorType}: ${errorMessage}`), { name: 'Runtime.UnhandledPromiseRejection', stack: trace.join('\n') }));
  });
  patchConsole();
  let handlerFunction;
  try {
    handlerFunction = await loadHandler();
  } catch (error) {
    parentPort.postMessage({ type: 'init-error', error: toLambdaError(error) });
    return;
  }
  parentPort.on('message', (message) => {
    if (message.type === 'ping') {
      parentPort.postMessage({ type: 'pong', id: message.id });
      return;
    }
    if (message.type !== 'invoke') return;
    Promise.resolve()
      .then(() => invoke(handlerFunction, message))
      .then((result) => parentPort.postMessage({ type: 'result', requestId: message.requestId, payload: serialize(result) }))
      .catch((error) => parentPort.postMessage({ type: 'error', requestId: message.requestId, error: toLambdaError(error) }));
  });
  parentPort.postMessage({ type: 'ready' });
};

main().catch(reportCrash);
