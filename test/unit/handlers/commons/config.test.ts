import { ConfigError, readConfig } from '#commons/config';

describe('readConfig', () => {
  it('returns each variable under its key', () => {
    // Act
    const config = readConfig(['purchasesTable', 'eventBusName'], { PURCHASES_TABLE_NAME: 'purchases', EVENT_BUS_NAME: 'bus', OTHER: 'x' });

    // Assess
    expect(config).toEqual({ purchasesTable: 'purchases', eventBusName: 'bus' });
  });

  it('fails fast naming every variable that is missing or empty, so a miswired function says what to set', () => {
    // Prepare
    const read = () => readConfig(['purchasesTable', 'seatsTable', 'eventBusName'], { SEATS_TABLE_NAME: '', EVENT_BUS_NAME: 'bus' });

    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(new ConfigError('Missing environment variables: PURCHASES_TABLE_NAME, SEATS_TABLE_NAME'));
  });

  it('names its error ConfigError, for the cold-start failure in the logs to be found by name', () => {
    // Act
    const error = (() => {
      try {
        readConfig(['stateMachineArn'], {});
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();

    // Assess
    expect(error).toMatchObject({ name: 'ConfigError', message: 'Missing environment variables: STATE_MACHINE_ARN' });
  });
});
