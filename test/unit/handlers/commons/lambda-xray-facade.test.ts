import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getSegment } from 'aws-xray-sdk-core/dist/lib/context_utils';
import Segment from 'aws-xray-sdk-core/dist/lib/segments/segment';
import { initLambdaFacade } from '#commons/lambda-xray-facade';

const TRACE_HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const NEXT_TRACE_HEADER = 'Root=1-6759e988-cd862e3fe1be46a994272794;Parent=63995c3f42cd8ad9;Sampled=1';

/** The SDK's own Lambda setup as the port in handlers/commons/lambda-xray-facade.ts read it. */
const PORTED_SHA256 = '6a0cc939d27f5d9490de458779205fa30d70788e84dc510bccd9102dd9d71317';

describe('lambda-xray-facade (the X-Ray SDK Lambda setup, without the middleware samplers)', () => {
  const saved = { root: process.env.LAMBDA_TASK_ROOT, trace: process.env._X_AMZN_TRACE_ID };

  beforeAll(() => {
    process.env.LAMBDA_TASK_ROOT = '/var/task';
    process.env._X_AMZN_TRACE_ID = TRACE_HEADER;
    initLambdaFacade();
  });

  afterAll(() => {
    for (const [name, value] of [['LAMBDA_TASK_ROOT', saved.root], ['_X_AMZN_TRACE_ID', saved.trace]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('makes a facade segment carrying the invocation trace data the context segment', () => {
    // Act
    const segment = getSegment() as Segment;

    // Assess
    expect(segment).toBeInstanceOf(Segment);
    expect(segment).toMatchObject({ facade: true, trace_id: '1-5759e988-bd862e3fe1be46a994272793', id: '53995c3f42cd8ad8' });
  });

  it('reads the trace data of each new invocation, dropping the subsegments of the last', () => {
    // Prepare
    (getSegment() as Segment).addNewSubsegment('## previous');
    process.env._X_AMZN_TRACE_ID = NEXT_TRACE_HEADER;

    // Act
    const segment = getSegment() as Segment;

    // Assess
    expect(segment).toMatchObject({ trace_id: '1-6759e988-cd862e3fe1be46a994272794', id: '63995c3f42cd8ad9' });
    expect(segment.subsegments).toBeUndefined();
  });

  it('attaches subsegments to the facade and leaves the rest of its methods inert', () => {
    // Prepare
    const segment = getSegment() as Segment;

    // Act
    const subsegment = segment.addNewSubsegment('## step');
    segment.addAnnotation('ignored', 'on a facade');

    // Assess
    expect(subsegment.parent).toBe(segment);
    expect(segment).not.toHaveProperty('annotations');
    expect(segment.isClosed()).toBe(true);
  });

  it('ports the Lambda setup of the installed X-Ray SDK', () => {
    // Act
    const source = readFileSync(require.resolve('aws-xray-sdk-core/dist/lib/env/aws_lambda.js'));

    // Assess: an SDK with another Lambda setup needs the port read again
    expect(createHash('sha256').update(source).digest('hex')).toBe(PORTED_SHA256);
  });
});
