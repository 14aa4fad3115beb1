import { FAULT_KINDS } from '#tools/chaos/chaos-settings';
import { CHAOS_PROFILES, chaosSettingsOf } from '#tools/chaos/profiles';

test.each(Object.values(CHAOS_PROFILES))('the $name profile injects every fault kind of the fault model', (profile) => {
  // Act
  const settings = chaosSettingsOf(profile, 7);

  // Assess
  expect(FAULT_KINDS.filter((kind) => !((settings.rates[kind] ?? 0) > 0))).toEqual([]);
  expect(settings.seed).toBe(7);
});

test('the mild profile never kills the runtime', () => {
  // Assess
  expect(CHAOS_PROFILES.mild.kills).toEqual([]);
});

test('the harsh profile kills the whole stack at least twice, at least once while purchases are in flight', () => {
  // Assess
  expect(CHAOS_PROFILES.harsh.kills.length).toBeGreaterThanOrEqual(2);
  expect(CHAOS_PROFILES.harsh.kills.some((kill) => kill.phase === 'drain' && kill.atShare > 0 && kill.atShare < 1)).toBe(true);
});

test('the harsh profile injects each fault kind more often than the mild one', () => {
  // Assess
  expect(FAULT_KINDS.filter((kind) => (CHAOS_PROFILES.harsh.rates[kind] ?? 0) <= (CHAOS_PROFILES.mild.rates[kind] ?? 0))).toEqual([]);
});
