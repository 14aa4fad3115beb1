import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOUNDED_CONTEXTS } from '#tools/context-map/model';

const STYLES = readFileSync(join(__dirname, '..', '..', '..', 'tools', 'console', 'assets', 'styles.css'), 'utf8');

describe('the console colours every bounded context', () => {
  // The graph and the chips take a context's colour from `.context-<name>`; a context without one is drawn in no colour at all.
  test.each(BOUNDED_CONTEXTS)('%s has a colour', (context) => {
    const rule = new RegExp(`\\.context-${context.toLowerCase()} \\{\\s*--context: var\\(--([a-z-]+)\\);`).exec(STYLES);

    expect(rule).not.toBeNull();
    expect(STYLES).toMatch(new RegExp(`^\\s*--${rule?.[1]}: #[0-9a-f]{6};`, 'm'));
  });
});
