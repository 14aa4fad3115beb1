import { z } from 'zod';
import { AwsJsonError, startAwsJsonServer, type AwsJsonServer } from '#local/aws-json-server';

interface Counter {
  count: number;
}

const OPERATIONS = {
  Add: (counter: Counter, body: unknown) => {
    counter.count += z.object({ by: z.number() }).parse(body).by;
    return { count: counter.count, at: new Date(1_700_000_000_500), absent: undefined };
  },
  Refuse: () => {
    throw new AwsJsonError('NotAllowedException', 'no', 403);
  },
  Crash: () => {
    throw new Error('boom');
  },
};

let server: AwsJsonServer;
let counter: Counter;

beforeEach(async () => {
  counter = { count: 0 };
  server = await startAwsJsonServer({
    serviceName: 'Counter',
    jsonVersion: '1.1',
    targetPrefix: 'Counter_2026.',
    operations: OPERATIONS,
    context: counter,
    maxBodyBytes: 64,
    internalErrorType: 'InternalException',
  });
});

afterEach(async () => {
  await server.stop();
});

const call = (target: string | undefined, body: string, method = 'POST') =>
  fetch(server.endpoint, {
    method,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', ...(target !== undefined && { 'X-Amz-Target': target }) },
    ...(method === 'POST' && { body }),
  });

describe('startAwsJsonServer', () => {
  it('dispatches on X-Amz-Target and answers in JSON, timestamps as epoch seconds', async () => {
    // Act
    const response = await call('Counter_2026.Add', '{"by":2}');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({ count: 2, at: 1_700_000_000.5 });
    expect(counter.count).toBe(2);
  });

  it.each([
    ['an operation it does not serve', 'Counter_2026.Subtract'],
    ['a target without the service prefix', 'Add'],
    ['no target', undefined],
    ['a name inherited by every object', 'Counter_2026.toString'],
  ])('answers %s with 400 UnknownOperationException', async (_case, target) => {
    // Act
    const response = await call(target, '{}');

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toEqual({ __type: 'UnknownOperationException', message: expect.any(String) });
  });

  it('answers a request that is not a POST with UnknownOperationException', async () => {
    // Act
    const response = await call('Counter_2026.Add', '', 'GET');

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('answers a body that is not JSON with SerializationException and runs nothing', async () => {
    // Act
    const response = await call('Counter_2026.Add', '{"by":');

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'SerializationException', message: expect.any(String) });
    expect(counter.count).toBe(0);
  });

  it('answers a body the operation cannot parse with ValidationException naming the field', async () => {
    // Act
    const response = await call('Counter_2026.Add', '{"by":"two"}');

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'ValidationException', message: expect.stringContaining('by') });
  });

  it('answers a body over the limit with 413 ValidationException', async () => {
    // Act
    const response = await call('Counter_2026.Add', JSON.stringify({ by: 1, padding: 'x'.repeat(100) }));

    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ __type: 'ValidationException' });
    expect(counter.count).toBe(0);
  });

  it('answers an operation error with its own type and status', async () => {
    // Act
    const response = await call('Counter_2026.Refuse', '');

    // Assess
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('NotAllowedException');
    expect(await response.json()).toEqual({ __type: 'NotAllowedException', message: 'no' });
  });

  it('answers an unexpected failure with 500 and the service internal error type', async () => {
    // Prepare
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    const response = await call('Counter_2026.Crash', '{}');

    // Assess
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ __type: 'InternalException', message: 'boom' });
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});
