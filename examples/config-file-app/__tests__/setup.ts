import { Testing } from "cdktf";
import { policyMatchers } from "multi-region-kms-keys/jest";

Testing.setupJest();
expect.extend(policyMatchers);
