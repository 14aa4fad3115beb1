import { EventStreamSerde, eventStreamSerdeProvider, EventStreamsNotBundledError } from '#commons/no-event-streams';

describe('no-event-streams (what the bundles load for @smithy/core/event-streams)', () => {
  it('fails an operation that would stream events, saying the support is not bundled', () => {
    // Act
    const resolvingAMarshaller = () => eventStreamSerdeProvider();

    // Assess
    expect(resolvingAMarshaller).toThrow(EventStreamsNotBundledError);
    expect(resolvingAMarshaller).toThrow(/not bundled.*event-streams alias/);
  });

  it('fails on building the serde as well, should the SDK skip the provider', () => {
    // Act
    const building = () => new EventStreamSerde();

    // Assess
    expect(building).toThrow(EventStreamsNotBundledError);
  });
});
