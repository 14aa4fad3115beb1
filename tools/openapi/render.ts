import * as z from 'zod';
import { API_CONTRACT, type RouteContract } from './contract.ts';

/**
 * Renders the contract as an OpenAPI 3.1 document (its schemas are JSON
 * Schema 2020-12, which zod writes). Schemas named with `.meta({ id })` become
 * components, referenced wherever they appear.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const COMPONENTS_PREFIX = '#/components/schemas/';

/** zod puts named schemas in `$defs`; OpenAPI resolves references from the document root, so they move to components. */
const toComponentRefs = (value: Json, components: Map<string, Json>): Json => {
  if (Array.isArray(value)) return value.map((item) => toComponentRefs(item, components));
  if (value === null || typeof value !== 'object') return value;
  const result: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === '$schema') continue;
    if (key === '$defs' && field !== null && typeof field === 'object' && !Array.isArray(field)) {
      for (const [id, definition] of Object.entries(field)) components.set(id, toComponentRefs(definition, components));
      continue;
    }
    result[key] = key === '$ref' && typeof field === 'string' ? field.replace('#/$defs/', COMPONENTS_PREFIX) : toComponentRefs(field, components);
  }
  return result;
};

const schemaOf = (schema: z.ZodType, io: 'input' | 'output', components: Map<string, Json>): Json =>
  toComponentRefs(z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json, components);

const operationOf = (name: string, route: RouteContract, components: Map<string, Json>): JsonObject => ({
  operationId: name,
  summary: route.summary,
  security: [{ buyerJwt: [] }],
  ...(route.parameters.length > 0
    ? {
        parameters: route.parameters.map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          required: parameter.required,
          description: parameter.description,
          schema: schemaOf(parameter.schema, 'input', components),
        })),
      }
    : {}),
  // Requests are documented as the handlers read them (input); answers as they are sent (output).
  ...(route.requestBody
    ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.requestBody, 'input', components) } } } }
    : {}),
  responses: Object.fromEntries(
    Object.entries(route.answers).map(([status, answer]) => [
      status,
      {
        description: answer.description,
        ...(answer.headers
          ? { headers: Object.fromEntries(Object.entries(answer.headers).map(([header, description]) => [header, { description, schema: { type: 'string' } }])) }
          : {}),
        content: { 'application/json': { schema: schemaOf(answer.body, 'output', components) } },
      },
    ]),
  ),
});

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

/** The document, as the JSON text checked in at docs/openapi.json. */
export const renderOpenApi = (info: OpenApiInfo): string => {
  const components = new Map<string, Json>();
  const paths: Record<string, JsonObject> = {};
  for (const [name, route] of Object.entries(API_CONTRACT) as [string, RouteContract][]) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationOf(name, route, components) };
  }
  const document = {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: {
        buyerJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "A Cognito user pool's token on AWS; `npm run token -- <buyer>` locally. Its subject (sub) is the buyer",
        },
      },
      schemas: Object.fromEntries([...components].sort(([a], [b]) => a.localeCompare(b))),
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
};
