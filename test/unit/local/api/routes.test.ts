import { InvalidRouteKeyError, RouteTable } from '#local/api/routes';

const table = (...routeKeys: string[]) => new RouteTable(routeKeys.map((routeKey) => ({ routeKey })));

describe('HTTP API route matching', () => {
  it('matches a route with a path variable and hands over the decoded value', () => {
    // Act
    const match = table('GET /purchases/{purchaseId}').match('GET', '/purchases/p%2D42');

    // Assess
    expect(match).toMatchObject({ routeKey: 'GET /purchases/{purchaseId}', pathParameters: { purchaseId: 'p-42' } });
  });

  it('gives no path parameters for a route without variables', () => {
    // Act
    const match = table('POST /purchases').match('POST', '/purchases');

    // Assess
    expect(match).toEqual({ route: { routeKey: 'POST /purchases' }, routeKey: 'POST /purchases' });
  });

  it('matches several variables in one path', () => {
    // Act
    const match = table('GET /concerts/{concertId}/seats/{seatId}').match('GET', '/concerts/c-1/seats/A-12');

    // Assess
    expect(match?.pathParameters).toEqual({ concertId: 'c-1', seatId: 'A-12' });
  });

  it('prefers a literal segment to a path variable', () => {
    // Act
    const match = table('GET /purchases/{purchaseId}', 'GET /purchases/latest').match('GET', '/purchases/latest');

    // Assess
    expect(match?.routeKey).toBe('GET /purchases/latest');
  });

  it('prefers a path variable to a greedy variable', () => {
    // Act
    const match = table('ANY /{proxy+}', 'GET /purchases/{purchaseId}').match('GET', '/purchases/p-1');

    // Assess
    expect(match?.routeKey).toBe('GET /purchases/{purchaseId}');
  });

  it('prefers the exact method to ANY', () => {
    // Act
    const match = table('ANY /purchases', 'POST /purchases').match('POST', '/purchases');

    // Assess
    expect(match?.routeKey).toBe('POST /purchases');
  });

  it('lets a greedy variable take the rest of the path', () => {
    // Act
    const match = table('GET /files/{path+}').match('GET', '/files/a/b/c.txt');

    // Assess
    expect(match?.pathParameters).toEqual({ path: 'a/b/c.txt' });
  });

  it('uses $default only when no other route matches', () => {
    // Prepare
    const routes = table('$default', 'GET /purchases/{purchaseId}');

    // Act
    const matches = [routes.match('GET', '/purchases/p-1')?.routeKey, routes.match('DELETE', '/anything')?.routeKey];

    // Assess
    expect(matches).toEqual(['GET /purchases/{purchaseId}', '$default']);
  });

  it.each([
    ['another method', 'DELETE', '/purchases/p-1'],
    ['a longer path', 'GET', '/purchases/p-1/items'],
    ['a shorter path', 'GET', '/purchases'],
    ['an empty variable', 'GET', '/purchases/'],
  ])('matches nothing for %s', (_case, method, path) => {
    // Act
    const match = table('GET /purchases/{purchaseId}').match(method, path);

    // Assess
    expect(match).toBeUndefined();
  });

  it.each([['purchases'], ['FETCH /purchases'], ['GET /purchases/{purchase-id'], ['GET /{proxy+}/items']])('refuses the route key %s', (routeKey) => {
    // Act
    const building = () => table(routeKey);

    // Assess
    expect(building).toThrow(InvalidRouteKeyError);
  });
});
