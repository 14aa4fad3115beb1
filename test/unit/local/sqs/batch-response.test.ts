import { failedMessageIds } from '#local/sqs/batch-response';

const BATCH = ['m-1', 'm-2', 'm-3'];

describe('reading batch item failures from the function response', () => {
  it.each([
    ['no response', undefined],
    ['a null response', null],
    ['a response without batchItemFailures', { processed: 3 }],
    ['null batchItemFailures', { batchItemFailures: null }],
    ['empty batchItemFailures', { batchItemFailures: [] }],
    ['a response that is not an object', 'done'],
  ])('treats %s as every message succeeding', (_case, response) => {
    // Act
    const failed = failedMessageIds(response, BATCH);

    // Assess
    expect([...failed]).toEqual([]);
  });

  it('fails exactly the messages listed', () => {
    // Act
    const failed = failedMessageIds({ batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }] }, BATCH);

    // Assess
    expect([...failed]).toEqual(['m-2', 'm-3']);
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelled key', { batchItemFailures: [{ itemIdentifer: 'm-1' }] }],
    ['an id that is not in the batch', { batchItemFailures: [{ itemIdentifier: 'm-9' }] }],
    ['batchItemFailures that is not a list', { batchItemFailures: 'm-1' }],
  ])('fails the whole batch for %s', (_case, response) => {
    // Act
    const failed = failedMessageIds(response, BATCH);

    // Assess
    expect([...failed].sort()).toEqual(BATCH);
  });
});
