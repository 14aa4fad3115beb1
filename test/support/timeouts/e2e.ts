// Per-group default; jest 29 ignores testTimeout inside a project.
jest.setTimeout(240_000);
