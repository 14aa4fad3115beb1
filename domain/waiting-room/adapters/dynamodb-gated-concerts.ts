import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#domain/tables';
import { ADMISSION_KEY_ATTRIBUTE, ON_SALE_ATTRIBUTE, PRICE_BANDS_ATTRIBUTE, gatedConcertSchema, type OnSale } from '../on-sale.ts';
import type { FindGatedConcert } from '../ports.ts';

const CONCERT_KEY = TABLES.concerts.partitionKey;

export interface GatedConcertOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /**
   * Whether to read the admission key too. Only the token's signer and its
   * verifier do; IAM refuses it to every other reader of the concerts table.
   */
  readonly withAdmissionKey: boolean;
  /**
   * Whether to read the concert's price bands too: create-purchase checks a
   * requested band in the same read as the gate.
   * @default false
   */
  readonly withPriceBands?: boolean;
}

/** The waiting room's view of a concert: one GetItem that names the attributes it reads, as IAM requires. */
export const createGatedConcertFinder =
  ({ client, tableName, withAdmissionKey, withPriceBands = false }: GatedConcertOptions): FindGatedConcert =>
  async (concertId) => {
    const attributes = [
      CONCERT_KEY,
      ON_SALE_ATTRIBUTE,
      ...(withAdmissionKey ? [ADMISSION_KEY_ATTRIBUTE] : []),
      ...(withPriceBands ? [PRICE_BANDS_ATTRIBUTE] : []),
    ];
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { [CONCERT_KEY]: concertId },
        ProjectionExpression: attributes.map((_, index) => `#a${index}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(attributes.map((attribute, index) => [`#a${index}`, attribute])),
      }),
    );
    return Item === undefined ? undefined : gatedConcertSchema.parse(Item);
  };

/** 32 random bytes: the HMAC-SHA256 key of a concert's admission tokens. */
const newAdmissionKey = () => randomBytes(32).toString('base64');

/**
 * Sets (or replaces) a concert's on-sale configuration. The admission key is
 * generated on the first configuration and kept after, so changing the rate
 * does not void the tokens already handed out.
 */
export const configureOnSale = async (
  { client, tableName }: Omit<GatedConcertOptions, 'withAdmissionKey'>,
  concertId: string,
  onSale: OnSale,
): Promise<'configured' | 'concertNotFound'> => {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { [CONCERT_KEY]: concertId },
        UpdateExpression: 'SET #onSale = :onSale, #key = if_not_exists(#key, :newKey)',
        ConditionExpression: 'attribute_exists(#concertId)',
        ExpressionAttributeNames: { '#onSale': ON_SALE_ATTRIBUTE, '#key': ADMISSION_KEY_ATTRIBUTE, '#concertId': CONCERT_KEY },
        ExpressionAttributeValues: { ':onSale': onSale, ':newKey': newAdmissionKey() },
      }),
    );
    return 'configured';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'concertNotFound';
    throw error;
  }
};

/** Ungates a concert: buyers buy directly again. The key stays, unused, in case the on-sale is configured again. */
export const removeOnSale = async ({ client, tableName }: Omit<GatedConcertOptions, 'withAdmissionKey'>, concertId: string): Promise<'removed' | 'concertNotFound'> => {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { [CONCERT_KEY]: concertId },
        UpdateExpression: 'REMOVE #onSale',
        ConditionExpression: 'attribute_exists(#concertId)',
        ExpressionAttributeNames: { '#onSale': ON_SALE_ATTRIBUTE, '#concertId': CONCERT_KEY },
      }),
    );
    return 'removed';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'concertNotFound';
    throw error;
  }
};
