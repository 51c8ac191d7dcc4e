// Types for cdktf's Jest matchers, which __tests__/setup.ts installs with Testing.setupJest().
import "cdktf/lib/testing/adapters/jest";
