import { join } from 'node:path';
import { bundledFunctionsOf, median, ratioOf, resolveEnvironment, resolveVariable } from '#tools/bench/bundles';

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([30, 10, 20])).toBe(20);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([40, 10, 30, 20])).toBe(25);
  });

  it('refuses an empty list rather than answer NaN', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('ratioOf', () => {
  it('divides the load by the bare start, to two decimals', () => {
    expect(ratioOf(160, 63)).toBe(2.54);
  });
});

describe('resolveVariable', () => {
  it('keeps literal values as strings', () => {
    expect([resolveVariable('--enable-source-maps'), resolveVariable(3), resolveVariable(true)]).toEqual(['--enable-source-maps', '3', 'true']);
  });

  it('names the resource of a Ref', () => {
    expect(resolveVariable({ Ref: 'DataSeats755BA074' })).toBe('placeholder-DataSeats755BA074');
  });

  it('names the resource and attribute of a Fn::GetAtt', () => {
    expect(resolveVariable({ 'Fn::GetAtt': ['PurchaseQueue', 'Arn'] })).toBe('placeholder-PurchaseQueue.Arn');
  });

  it('gives any other intrinsic a non-empty placeholder, so fail-fast config still loads', () => {
    expect(resolveVariable({ 'Fn::Join': ['', ['a', { Ref: 'B' }]] })).toBe('placeholder-Fn::Join');
  });
});

describe('resolveEnvironment', () => {
  it('resolves every variable', () => {
    expect(resolveEnvironment({ SEATS_TABLE_NAME: { Ref: 'Seats' }, NODE_OPTIONS: '--enable-source-maps' })).toEqual({
      SEATS_TABLE_NAME: 'placeholder-Seats',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });
});

describe('bundledFunctionsOf', () => {
  const template = {
    Resources: {
      Bus: { Type: 'AWS::Events::EventBus', Properties: {} },
      WorkflowReserveSeats: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'aws:asset:path': 'asset.abc' },
        Properties: {
          Handler: 'index.handler',
          Runtime: 'nodejs24.x',
          MemorySize: 512,
          Environment: { Variables: { SEATS_TABLE_NAME: { Ref: 'Seats' }, POWERTOOLS_SERVICE_NAME: 'reserve-seats', NODE_OPTIONS: '--enable-source-maps' } },
        },
      },
      Sweeper: { Type: 'AWS::Lambda::Function', Metadata: { 'aws:asset:path': 'asset.def' }, Properties: { Handler: 'main.handler', Runtime: 'nodejs24.x' } },
    },
  };

  it('finds each function, its bundle and its environment, by name', () => {
    const functions = bundledFunctionsOf(template, '/cdk.out');

    expect(functions.map((fn) => [fn.functionName, fn.bundleFile])).toEqual([
      ['reserve-seats', join('/cdk.out', 'asset.abc', 'index.js')],
      ['Sweeper', join('/cdk.out', 'asset.def', 'main.js')],
    ]);
  });

  it('starts a function with its own NODE_OPTIONS and what Lambda sets', () => {
    const [reserveSeats] = bundledFunctionsOf(template, '/cdk.out');

    expect(reserveSeats?.environment).toMatchObject({
      SEATS_TABLE_NAME: 'placeholder-Seats',
      NODE_OPTIONS: '--enable-source-maps',
      AWS_LAMBDA_FUNCTION_NAME: 'reserve-seats',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    });
  });
});
