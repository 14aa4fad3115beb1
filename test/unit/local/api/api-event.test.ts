import { buildHttpApiEvent, formatRequestTime, readHeaders, readQueryStringParameters, type HttpApiRequest } from '#local/api/api-event';

const RECEIVED_AT = new Date('2026-03-01T09:05:07.123Z');

const request = (overrides: Partial<HttpApiRequest> = {}): HttpApiRequest => ({
  method: 'POST',
  rawPath: '/purchases',
  rawQueryString: '',
  headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' },
  cookies: [],
  queryStringParameters: {},
  body: Buffer.from('{"concertId":"c-1"}'),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
  ...overrides,
});

const build = (overrides: Partial<HttpApiRequest> = {}, authorizer?: { claims: Record<string, string>; scopes: string[] | null }) =>
  buildHttpApiEvent({ request: request(overrides), routeKey: 'POST /purchases', authorizer, requestId: 'Mc7UVioPPHcEKPA=', receivedAt: RECEIVED_AT, apiId: 'local', stage: '$default' });

describe('the payload format 2.0 event', () => {
  it('carries the route, the raw request and the request context API Gateway sends', () => {
    // Act
    const event = build();

    // Assess
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'POST /purchases',
      rawPath: '/purchases',
      rawQueryString: '',
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: '127.0.0.1:3000',
        domainPrefix: 'local',
        http: { method: 'POST', path: '/purchases', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.5.0' },
        requestId: 'Mc7UVioPPHcEKPA=',
        routeKey: 'POST /purchases',
        stage: '$default',
        time: '01/Mar/2026:09:05:07 +0000',
        timeEpoch: RECEIVED_AT.getTime(),
      },
      body: '{"concertId":"c-1"}',
      isBase64Encoded: false,
    });
  });

  it('carries the JWT claims and scopes when the route has an authorizer', () => {
    // Act
    const event = build({}, { claims: { sub: 'buyer-1' }, scopes: null });

    // Assess
    expect(event.requestContext).toMatchObject({ authorizer: { jwt: { claims: { sub: 'buyer-1' }, scopes: null } } });
  });

  it('base64-encodes a body that is not text', () => {
    // Act
    const event = build({ headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0xff, 0x00]) });

    // Assess
    expect(event).toMatchObject({ body: '/wA=', isBase64Encoded: true });
  });

  it('has no body when the request has none', () => {
    // Act
    const event = build({ method: 'GET', body: Buffer.alloc(0) });

    // Assess
    expect('body' in event).toBe(false);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('lowercases header names, joins repeated headers with commas and moves cookies out of the headers', () => {
    // Act
    const parts = readHeaders(['X-Trace', 'a', 'x-trace', 'b', 'Cookie', 'session=abc; theme=dark']);

    // Assess
    expect(parts).toEqual({ headers: { 'x-trace': 'a,b' }, cookies: ['session=abc', 'theme=dark'] });
  });

  it('decodes query parameters and joins repeated ones with commas', () => {
    // Act
    const parameters = readQueryStringParameters('status=PAID&status=FAILED&name=a%20b');

    // Assess
    expect(parameters).toEqual({ status: 'PAID,FAILED', name: 'a b' });
  });

  it('formats the request time as API Gateway does', () => {
    // Act
    const time = formatRequestTime(new Date('2020-03-12T19:03:58Z'));

    // Assess
    expect(time).toBe('12/Mar/2020:19:03:58 +0000');
  });
});
