import type { EventEnvelope } from '#local/eventbridge/envelope';
import type { EventBridgeTarget } from '#local/eventbridge/model';
import { compileTargetInput, TargetInputError } from '#local/eventbridge/target-input';

const EVENT: EventEnvelope = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'SeatsReserved.v1',
  source: 'ticketing.inventory',
  account: '000000000000',
  time: '2026-03-01T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:seat/A-1'],
  detail: { purchaseId: 'p-1', seatIds: ['A-1', 'A-2'], total: { amount: 5000, currency: 'EUR' }, note: 'say "hi"' },
};
const CONTEXT = { ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/ticketing/Seats', ruleName: 'Seats', ingestedAt: Date.parse('2026-03-01T10:00:01Z') };

type TargetInput = Pick<EventBridgeTarget, 'input' | 'inputPath' | 'inputTransformer'>;

describe('target input', () => {
  test.each<[string, TargetInput, string]>([
    ['no input option sends the whole event', {}, JSON.stringify(EVENT)],
    ['Input sends the constant text', { input: '{"fixed":true}' }, '{"fixed":true}'],
    ['InputPath selects part of the event', { inputPath: '$.detail.total' }, '{"amount":5000,"currency":"EUR"}'],
    ['InputPath reads fields with dashes and indexes', { inputPath: "$['detail-type']" }, '"SeatsReserved.v1"'],
    ['InputPath to a missing field sends null', { inputPath: '$.detail.missing' }, 'null'],
    [
      'a variable outside quotes is inserted as JSON',
      { inputTransformer: { inputPathsMap: { seats: '$.detail.seatIds', first: '$.detail.seatIds[0]' }, inputTemplate: '{"seats": <seats>, "first": <first>}' } },
      '{"seats": ["A-1","A-2"], "first": "A-1"}',
    ],
    [
      'a variable inside quotes is inserted as text, escaped',
      { inputTransformer: { inputPathsMap: { note: '$.detail.note', total: '$.detail.total' }, inputTemplate: '{"text": "<note> / <total>"}' } },
      '{"text": "say \\"hi\\" / {\\"amount\\":5000,\\"currency\\":\\"EUR\\"}"}',
    ],
    [
      'predefined variables name the rule and the ingestion time',
      { inputTransformer: { inputPathsMap: {}, inputTemplate: '"<aws.events.rule-name> at <aws.events.event.ingestion-time>"' } },
      '"Seats at 2026-03-01T10:00:01.000Z"',
    ],
    ['an unknown placeholder is left as written', { inputTransformer: { inputPathsMap: {}, inputTemplate: '"<nope> <3"' } }, '"<nope> <3"'],
    ['a missing path is null outside quotes and empty inside', { inputTransformer: { inputPathsMap: { x: '$.nope' }, inputTemplate: '{"a": <x>, "b": "<x>"}' } }, '{"a": null, "b": ""}'],
  ])('%s', (_title, input, expected) => {
    // Prepare
    const render = compileTargetInput(input);

    // Act
    const rendered = render(EVENT, CONTEXT);

    // Assess
    expect(rendered).toBe(expected);
  });

  test.each<[string, TargetInput]>([
    ['an InputPath that is not JSONPath', { inputPath: 'detail.total' }],
    ['more than one of Input, InputPath and InputTransformer', { input: '{}', inputPath: '$.detail' }],
    ['a variable named like a predefined one', { inputTransformer: { inputPathsMap: { 'aws.events.rule-arn': '$.id' }, inputTemplate: '<aws.events.rule-arn>' } }],
  ])('%s is rejected when the rule is compiled', (_title, input) => {
    // Act
    const compile = () => compileTargetInput(input);

    // Assess
    expect(compile).toThrow(TargetInputError);
  });
});
