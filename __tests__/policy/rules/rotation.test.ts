import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KeyPolicy } from "../../../lib/key-policy";
import { keyRotationRule } from "../../../lib/policy/rules/rotation";
import { findingIds, keySet, PRIMARY } from "../fixtures";
import { describeRule, PRIMARY_KEY, ruleFindings } from "./cases";

describeRule(keyRotationRule, {
  compliant: () => keySet().stack,
  nonCompliant: () => keySet({ key: { enableKeyRotation: false } }).stack,
  address: PRIMARY_KEY,
});

describe("MRK-KMS-1 rotation", () => {
  test("is the only finding when rotation is off", () => {
    expect(findingIds(keySet({ key: { enableKeyRotation: false } }).stack)).toEqual([`MRK-KMS-1 @ ${PRIMARY_KEY}`]);
  });

  test("does not apply to asymmetric keys, which cannot rotate automatically", () => {
    const fixture = keySet();
    const policy = new KeyPolicy(fixture.stack, "signing_policy", {
      accountId: "111111111111",
      provider: fixture.providers.forRegion(PRIMARY),
    });
    new KmsKey(fixture.stack, "signing", {
      provider: fixture.providers.forRegion(PRIMARY),
      customerMasterKeySpec: "RSA_2048",
      keyUsage: "SIGN_VERIFY",
      policy: policy.json,
    });
    expect(findingIds(fixture.stack)).toEqual([]);
  });

  test.each([
    ['the string "true", which Terraform converts to true', "true", []],
    ['the string "1", which Terraform converts to true', "1", []],
    [
      'the string "false"',
      "false",
      ['aws_kms_key.k: enable_key_rotation is "false", so the key material is never rotated'],
    ],
    ["a variable, known at apply time", "${var.rotate}", []],
  ])("reads %s", (_, value, expected) => {
    expect(ruleFindings({ resource: { aws_kms_key: { k: { enable_key_rotation: value } } } }, keyRotationRule)).toEqual(
      expected,
    );
  });

  test.each([
    ["HMAC_256", "GENERATE_VERIFY_MAC"],
    ["ECC_NIST_P256", "SIGN_VERIFY"],
  ])("does not apply to %s keys", (keySpec, keyUsage) => {
    expect(
      ruleFindings({ resource: { aws_kms_key: { k: { key_spec: keySpec, key_usage: keyUsage } } } }, keyRotationRule),
    ).toEqual([]);
  });

  test("does not apply to keys with imported key material, which KMS cannot rotate", () => {
    expect(
      ruleFindings({ resource: { aws_kms_external_key: { k: { multi_region: true } } } }, keyRotationRule),
    ).toEqual([]);
  });
});
