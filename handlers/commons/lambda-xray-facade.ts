import ContextUtils from 'aws-xray-sdk-core/dist/lib/context_utils';
import Logger from 'aws-xray-sdk-core/dist/lib/logger';
import SegmentEmitter from 'aws-xray-sdk-core/dist/lib/segment_emitter';
import TraceID from 'aws-xray-sdk-core/dist/lib/segments/attributes/trace_id';
import Segment from 'aws-xray-sdk-core/dist/lib/segments/segment';
import SegmentUtils from 'aws-xray-sdk-core/dist/lib/segments/segment_utils';
import { LambdaUtils } from 'aws-xray-sdk-core/dist/lib/utils';

/**
 * The X-Ray SDK's Lambda setup (aws-xray-sdk-core/dist/lib/env/aws_lambda.js,
 * 3.12.0), ported line for line but for one call. That module starts by
 * swapping the sampler of the SDK's Express and Restify middleware for the
 * local one, `mw_utils.disableCentralizedSampling()`, and so bundles the
 * middleware with both samplers: the centralized one polls sampling rules
 * and targets from the X-Ray service, which the SDK never does on Lambda,
 * where the sampling decision arrives with the invocation in
 * _X_AMZN_TRACE_ID. No function serves HTTP through that middleware, so the
 * samplers never decide anything here; leaving the call out leaves out
 * 17 KB. The rest, the facade segment the function's subsegments attach to
 * and its trace data read per invocation, is the SDK's.
 */

/** The facade's methods that work as on any segment: they attach the function's subsegments. */
const FACADE_METHODS = ['addNewSubsegment', 'addSubsegment', 'removeSubsegment', 'toString', 'addSubsegmentWithoutSampling', 'addNewSubsegmentWithoutSampling'];
/** The facade's methods that do nothing, without a warning: Lambda opens and closes the function's segment. */
const SILENT_METHODS = ['incrementCounter', 'decrementCounter', 'isClosed', 'close', 'format', 'flush'];

/** The segment as the facade's code changes it: the SDK's typings name only part of its fields. */
type FacadeSegment = Segment & Record<string, unknown> & { id: string; subsegments?: unknown; reset(): void };

/** The strategy `setContextMissingStrategy` sets, which the SDK's typings leave out. */
const contextMissing = (message: string): void =>
  (ContextUtils as typeof ContextUtils & { contextMissingStrategy: { contextMissing(message: string): void } }).contextMissingStrategy.contextMissing(message);

interface InvokeStore {
  getXRayTraceId(): string | undefined;
}

let xAmznTraceIdPrev: string | null = null;

const facadeSegment = (): Segment => {
  const segment = new Segment('facade') as FacadeSegment;
  const xAmznTraceId = process.env._X_AMZN_TRACE_ID;
  for (const key in segment) {
    if (typeof segment[key] === 'function' && !FACADE_METHODS.includes(key)) {
      segment[key] = SILENT_METHODS.includes(key)
        ? () => undefined
        : () => {
            Logger.getLogger().warn(`Function "${key}" cannot be called on an AWS Lambda segment. Please use a subsegment to record data.`);
          };
    }
  }
  segment.trace_id = TraceID.Invalid().toString();
  segment.isClosed = () => true;
  segment.in_progress = false;
  segment.counter = 1;
  segment.notTraced = true;
  segment.facade = true;
  segment.reset = function reset(this: FacadeSegment) {
    this.trace_id = TraceID.Invalid().toString();
    this.id = '00000000';
    delete this.subsegments;
    this.notTraced = true;
  };
  segment.resolveLambdaTraceData = function resolveLambdaTraceData(this: FacadeSegment) {
    const invokeStore = (globalThis as { awslambda?: { InvokeStore?: InvokeStore } }).awslambda?.InvokeStore;
    const xAmznLambda = invokeStore?.getXRayTraceId() ?? process.env._X_AMZN_TRACE_ID;
    if (xAmznLambda) {
      // A new trace header resets the trace data, so none leaks from one invocation into the next.
      if (xAmznLambda !== xAmznTraceIdPrev) {
        this.reset();
        if (LambdaUtils.populateTraceData(segment, xAmznLambda)) xAmznTraceIdPrev = xAmznLambda;
      }
    } else {
      this.reset();
      contextMissing('Missing AWS Lambda trace data for X-Ray. Ensure Active Tracing is enabled and no subsegments are created outside the function handler.');
    }
  };
  // At the cold start a valid trace header is likely not set yet.
  if (LambdaUtils.validTraceData(xAmznTraceId) && LambdaUtils.populateTraceData(segment, xAmznTraceId as string)) {
    xAmznTraceIdPrev = xAmznTraceId as string;
  }
  return segment;
};

/** Makes the facade segment of the invocation the context's segment, as the SDK's entry does on Lambda. */
export const initLambdaFacade = (): void => {
  ContextUtils.enableManualMode = () => {
    Logger.getLogger().warn('AWS Lambda does not support AWS X-Ray manual mode.');
  };
  SegmentEmitter.disableReusableSocket();
  SegmentUtils.setStreamingThreshold(0);
  const namespace = ContextUtils.getNamespace();
  namespace.enter(namespace.createContext());
  ContextUtils.setSegment(facadeSegment());
};
