import { FAULT_KINDS } from '#tools/chaos/chaos-settings';
import { faultTableOf } from '#tools/chaos/report';

test('a fault kind the runtime never injected counts 0 when the runtime keeps counts', () => {
  // Act
  const table = faultTableOf({ 'lambda.answerLost': 0.04 }, { 'lambda.answerLost': 3 });

  // Assess
  expect(table['lambda.answerLost']).toEqual({ rate: 0.04, injected: 3 });
  expect(table['sqs.duplicateDelivery']).toEqual({ rate: 0, injected: 0 });
});

test('every fault kind shows no count, rather than 0, when the runtime keeps none', () => {
  // Act
  const table = faultTableOf({ 'lambda.answerLost': 0.04 }, undefined);

  // Assess
  expect(FAULT_KINDS.filter((kind) => table[kind].injected !== null)).toEqual([]);
});
