// Adds the policy matchers: toAllow, toAllowThroughIam, toPassPolicyRules, toFailPolicyRule.
import { policyMatchers } from "../../lib/policy/jest";

expect.extend(policyMatchers);
