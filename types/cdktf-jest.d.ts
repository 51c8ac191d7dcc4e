// Types for cdktf's Jest matchers, which __tests__/setup.ts installs with Testing.setupJest().
// The policy matchers declare their own types (lib/policy/jest.ts).
import "cdktf/lib/testing/adapters/jest";
