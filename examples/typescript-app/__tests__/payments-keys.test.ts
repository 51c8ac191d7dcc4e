import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest"; // the types of cdktf's matchers, as cdktf init writes it
import "multi-region-kms-keys/jest"; // the types of the rule pack's matchers
import { ACCOUNT_ID, PaymentsKeys } from "../lib/payments-keys";

const stack = new PaymentsKeys(Testing.app(), "payments-keys");
const synthesized = Testing.synth(stack);

describe("the payments key set", () => {
  // #region synth
  test("is a multi-region primary with rotation on, and a replica in each other region", () => {
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { multi_region: true, enable_key_rotation: true });
    expect(synthesized).toHaveResourceWithProperties(KmsReplicaKey, { provider: "aws.eu_west_1" });
    expect(synthesized).toHaveResourceWithProperties(KmsReplicaKey, { provider: "aws.ap_southeast_1" });
  });
  // #endregion synth

  test("has the same alias in every region", () => {
    for (const provider of ["aws.us_east_1", "aws.eu_west_1", "aws.ap_southeast_1"]) {
      expect(synthesized).toHaveResourceWithProperties(KmsAlias, { name: "alias/payments", provider });
    }
  });

  test("has an application role that ECS tasks assume", () => {
    expect(synthesized).toHaveResource(IamRole);
  });

  // #region policy-matchers
  test("passes the rule pack", () => {
    expect(stack).toPassPolicyRules();
  });

  test("lets the application encrypt and decrypt in every region, through the key policy itself", () => {
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-1"]) {
      expect(stack).toAllow("aws_iam_role.application", "kms:Decrypt", region);
      expect(stack).toAllow("aws_iam_role.application", "kms:GenerateDataKey", region);
    }
  });

  test("does not let the administrators decrypt, except through IAM policies", () => {
    expect(stack).not.toAllow(`arn:aws:iam::${ACCOUNT_ID}:role/KeyAdministrator`, "kms:Decrypt", "eu-west-1");
  });
  // #endregion policy-matchers
});
