import { Testing } from "cdktf";
import { policyMatchers } from "multi-region-kms-keys/jest";

// cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...) and the rule pack's.
Testing.setupJest();
expect.extend(policyMatchers);
