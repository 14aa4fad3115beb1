import { allowedOrigin, preflightHeaders, withCorsHeaders, type CorsConfiguration } from '#local/api/cors';

const CONFIG: CorsConfiguration = {
  allowOrigins: ['https://tickets.example.com', 'https://*.preview.example.com'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  exposeHeaders: ['location'],
  maxAge: 600,
};

describe('CORS', () => {
  it.each([
    ['a listed origin', 'https://tickets.example.com', 'https://tickets.example.com'],
    ['a subdomain of a wildcard origin', 'https://pr-7.preview.example.com', 'https://pr-7.preview.example.com'],
    ['an origin that is not listed', 'https://evil.example.net', undefined],
  ])('answers %s', (_case, origin, expected) => {
    // Act
    const allowed = allowedOrigin(CONFIG, origin);

    // Assess
    expect(allowed).toBe(expected);
  });

  it('answers a preflight request with the configured methods, headers and max age', () => {
    // Act
    const headers = preflightHeaders(CONFIG, { origin: 'https://tickets.example.com', 'access-control-request-method': 'POST' });

    // Assess
    expect(headers).toEqual({
      'access-control-allow-origin': 'https://tickets.example.com',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'authorization,content-type,idempotency-key',
      'access-control-max-age': '600',
    });
  });

  it("replaces the function's own CORS headers with the configured ones", () => {
    // Act
    const headers = withCorsHeaders(CONFIG, 'https://tickets.example.com', { 'content-type': 'application/json', 'Access-Control-Allow-Origin': '*' });

    // Assess
    expect(headers).toEqual({
      'content-type': 'application/json',
      'access-control-allow-origin': 'https://tickets.example.com',
      'access-control-expose-headers': 'location',
    });
  });
});
