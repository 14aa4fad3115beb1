import { z } from 'zod';
import { ServiceError } from './service-errors.ts';

/** AWS's page size when maxResults is absent or 0. */
const DEFAULT_PAGE_SIZE = 100;

/** nextToken values are opaque to callers: base64url JSON that only this service reads back. */
export const encodeToken = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export const decodeToken = <T>(token: string, schema: z.ZodType<T>): T => {
  try {
    return schema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw new ServiceError('InvalidToken', `Invalid Token: '${token}'`);
  }
};

export const pageSize = (maxResults: number | undefined): number => (maxResults ? maxResults : DEFAULT_PAGE_SIZE);
