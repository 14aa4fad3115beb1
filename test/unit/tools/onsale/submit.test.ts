import { postPurchase } from '#tools/onsale/submit';

const API = 'http://api.test';
const REQUEST = { token: 't', idempotencyKey: 'k-1', body: '{}' };
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

let fetchMock: jest.SpyInstance;
beforeEach(() => {
  fetchMock = jest.spyOn(globalThis, 'fetch');
});
afterEach(() => fetchMock.mockRestore());

test('a 5xx is sent again with the same Idempotency-Key until the API accepts it', async () => {
  // Prepare
  fetchMock.mockResolvedValueOnce(answer(503, { message: 'Service Unavailable' })).mockResolvedValueOnce(answer(202, { purchaseId: 'p-1' }));

  // Act
  const result = await postPurchase(API, REQUEST, { budgetMs: 5_000 });

  // Assess
  expect(result).toMatchObject({ status: 202, json: { purchaseId: 'p-1' } });
  const keys = fetchMock.mock.calls.map(([, init]) => (init as RequestInit).headers as Record<string, string>).map((headers) => headers['idempotency-key']);
  expect(keys).toEqual(['k-1', 'k-1']);
});

test('a 4xx is the answer: bad input is not sent again', async () => {
  // Prepare
  fetchMock.mockResolvedValueOnce(answer(400, { error: 'ValidationError', message: 'seatIds: is required' }));

  // Act
  const result = await postPurchase(API, REQUEST, { budgetMs: 5_000 });

  // Assess
  expect(result.status).toBe(400);
  expect(fetchMock).toHaveBeenCalledTimes(1);
});

test('a body that is not JSON is kept as no JSON, for the bad-input check to see', async () => {
  // Prepare
  fetchMock.mockResolvedValueOnce(new Response('Bad Request', { status: 400 }));

  // Act
  const result = await postPurchase(API, REQUEST, { budgetMs: 5_000 });

  // Assess
  expect(result).toMatchObject({ status: 400, json: undefined });
});

test('a request that keeps failing on the network fails once the budget is spent', async () => {
  // Prepare
  fetchMock.mockRejectedValue(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }));

  // Act
  const post = postPurchase(API, REQUEST, { budgetMs: 300 });

  // Assess
  await expect(post).rejects.toThrow(/failed \d+ time\(s\): connect ECONNREFUSED/);
});

test('no token sends no Authorization header', async () => {
  // Prepare
  fetchMock.mockResolvedValueOnce(answer(401, { message: 'Unauthorized' }));

  // Act
  await postPurchase(API, { body: '{}' }, { budgetMs: 5_000 });

  // Assess
  expect(Object.keys((fetchMock.mock.calls[0]?.[1] as RequestInit).headers as Record<string, string>)).toEqual(['content-type']);
});
