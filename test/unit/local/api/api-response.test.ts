import { MalformedFunctionResponseError, mapFunctionResult } from '#local/api/api-response';

describe('mapping a function result to the HTTP response', () => {
  it('uses the status, headers, cookies and body of a structured result', () => {
    // Act
    const response = mapFunctionResult({
      statusCode: 202,
      headers: { 'Content-Type': 'application/json', 'X-Count': 3 },
      cookies: ['session=abc; HttpOnly'],
      body: '{"purchaseId":"p-1"}',
    });

    // Assess
    expect(response).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json', 'x-count': '3' },
      cookies: ['session=abc; HttpOnly'],
      body: Buffer.from('{"purchaseId":"p-1"}'),
    });
  });

  it('decodes a base64-encoded body', () => {
    // Act
    const response = mapFunctionResult({ statusCode: 200, body: Buffer.from([0, 1, 2]).toString('base64'), isBase64Encoded: true });

    // Assess
    expect([...response.body]).toEqual([0, 1, 2]);
  });

  it('answers 200 with the JSON of a result without statusCode', () => {
    // Act
    const response = mapFunctionResult({ purchaseId: 'p-1', status: 'QUEUED' });

    // Assess
    expect(response).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(response.body.toString())).toEqual({ purchaseId: 'p-1', status: 'QUEUED' });
  });

  it('answers 200 with a string result as the body itself', () => {
    // Act
    const response = mapFunctionResult('Hello from Lambda!');

    // Assess
    expect(response.body.toString()).toBe('Hello from Lambda!');
  });

  it('gives an empty body to a structured result without body', () => {
    // Act
    const response = mapFunctionResult({ statusCode: 204 });

    // Assess
    expect(response).toEqual({ statusCode: 204, headers: {}, cookies: [], body: Buffer.alloc(0) });
  });

  it.each([
    ['a status that is not a number', { statusCode: '200' }],
    ['a status out of range', { statusCode: 99 }],
    ['a body that is not a string', { statusCode: 200, body: { purchaseId: 'p-1' } }],
  ])('rejects %s', (_case, result) => {
    // Act
    const mapping = () => mapFunctionResult(result);

    // Assess
    expect(mapping).toThrow(MalformedFunctionResponseError);
  });
});
