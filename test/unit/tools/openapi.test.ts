import { readFileSync } from 'node:fs';
import { API_ROUTES } from '#infra/constructs/api';
import { main, OPENAPI_DOCUMENT } from '#tools/openapi';
import { API_CONTRACT, purchaseViewSchema } from '#tools/openapi/contract';
import { bufferedIo } from './ops/support.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const documentOnDisk = (): { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } } =>
  JSON.parse(readFileSync(OPENAPI_DOCUMENT, 'utf8'));

const refsIn = (value: Json): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, field]) => (key === '$ref' && typeof field === 'string' ? [field] : refsIn(field)));
};

describe('the OpenAPI description of the buyer API', () => {
  test('docs/openapi.json is up to date (npm run openapi -- --check)', async () => {
    const out = bufferedIo();

    const code = await main(['--check'], out.io);

    expect(out.stderr()).toBe('');
    expect(code).toBe(0);
  });

  test('describes every route the stack wires, with the same method and path', () => {
    const wired = Object.entries(API_ROUTES).map(([name, route]) => `${name} ${route.method} ${route.path}`);
    const described = Object.entries(API_CONTRACT).map(([name, route]) => `${name} ${route.method} ${route.path}`);

    expect(described.sort()).toEqual(wired.sort());
    const document = documentOnDisk();
    for (const route of Object.values(API_ROUTES)) expect(document.paths[route.path]).toHaveProperty(route.method.toLowerCase());
  });

  test('every reference points at a schema of the document', () => {
    const document = documentOnDisk();
    const refs = new Set(refsIn(document as unknown as Json));

    expect(refs.size).toBeGreaterThan(0);
    for (const ref of refs) expect(Object.keys(document.components.schemas)).toContain(ref.replace('#/components/schemas/', ''));
  });

  test('a purchase answer missing its status does not match the contract, one with a field added later does', () => {
    const purchase = { purchaseId: 'p-12345678', status: 'CONFIRMED', seatIds: ['A-1'] };
    const { status: _status, ...withoutStatus } = purchase;

    expect(purchaseViewSchema.safeParse(withoutStatus).success).toBe(false);
    expect(purchaseViewSchema.safeParse({ ...purchase, seatsHeldUntil: '2026-12-07T20:00:00Z' }).success).toBe(true);
  });

  test.each([
    ['an unknown flag', ['--verbose']],
    ['a positional argument', ['docs/other.json']],
  ])('npm run openapi with %s is a usage error', async (_case, argv) => {
    const out = bufferedIo();

    const code = await main(argv, out.io);

    expect(code).toBe(2);
    expect(out.stderr()).toContain('Usage: npm run openapi');
  });
});
