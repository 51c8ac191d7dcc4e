import { aliasEveryRegionRule } from "../../../lib/policy/rules/alias-every-region";
import { findingIds, keySet } from "../fixtures";
import { describeRule, PRIMARY_KEY, REPLICA_KEY } from "./cases";

describeRule(aliasEveryRegionRule, {
  compliant: () => keySet().stack,
  nonCompliant: () => {
    const fixture = keySet();
    fixture.key.node.tryRemoveChild("alias-eu");
    return fixture.stack;
  },
  address: REPLICA_KEY,
});

describe("MRK-KMS-11 alias in every region", () => {
  test("reports both keys when their aliases differ", () => {
    const fixture = keySet();
    fixture.key.inRegion("eu-west-1").alias.addOverride("name", "alias/other");
    expect(findingIds(fixture.stack)).toEqual([`MRK-KMS-11 @ ${PRIMARY_KEY}`, `MRK-KMS-11 @ ${REPLICA_KEY}`]);
  });

  test("does not count an alias declared in another region", () => {
    const fixture = keySet();
    fixture.key.inRegion("eu-west-1").alias.addOverride("provider", "aws.us_east_1");
    expect(fixture.stack).toFailPolicyRule("MRK-KMS-11", REPLICA_KEY);
  });
});
