import { KEY_TYPES } from "../../key-types";
import type { Rule } from "../rule";
import { stackJson } from "./examples";

const KEYS = {
  aws_kms_key: { primary: { provider: "aws.us_east_1", enable_key_rotation: true, multi_region: true } },
  aws_kms_replica_key: { eu: { provider: "aws.eu_west_1", primary_key_arn: "${aws_kms_key.primary.arn}" } },
};
const alias = (provider: string, key: string) => ({
  provider,
  name: "alias/orders",
  target_key_id: `\${${key}.key_id}`,
});

/**
 * MRK-KMS-11: the alias exists in every region that has the key. Aliases are regional: an
 * application that resolves `alias/x` in a region without it fails, although the key is there.
 */
export const aliasEveryRegionRule: Rule = {
  id: "MRK-KMS-11",
  level: "error",
  title: "The alias exists in every region that has the key",
  explanation:
    "An alias lives in one region and KMS does not replicate it. Applications address the key by alias; in a region where the key set has a key but no alias, every call by alias fails.",
  fix: "declare an aws_kms_alias with the same name in that region, targeting that region's key (MultiRegionKey does this for every region)",
  anchors: [],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson(
      {
        resource: {
          ...KEYS,
          aws_kms_alias: {
            primary: alias("aws.us_east_1", "aws_kms_key.primary"),
            eu: alias("aws.eu_west_1", "aws_kms_replica_key.eu"),
          },
        },
      },
      ["us-east-1", "eu-west-1"],
    ),
    nonCompliant: stackJson(
      { resource: { ...KEYS, aws_kms_alias: { primary: alias("aws.us_east_1", "aws_kms_key.primary") } } },
      ["us-east-1", "eu-west-1"],
    ),
  },
  check(key, { stack }) {
    const set = stack.keySetOf(key.address);
    if (!set) return "not-applicable";
    const region = stack.regionOf(key);
    const namesOf = (address: string, inRegion?: string) =>
      stack
        .aliasesOf(address)
        .filter((alias) => inRegion === undefined || stack.regionOf(alias) === inRegion)
        .map((alias) => alias.config.name)
        .filter((name): name is string => typeof name === "string" && !name.includes("${"));
    const setNames = new Set(set.members.flatMap((member) => namesOf(member.address)));
    const own = new Set(namesOf(key.address, region));
    const missing = [...setNames].filter((name) => !own.has(name));
    return missing.map((name) => ({
      message: `the key set has the alias ${name} in other regions, but not in ${region ?? "this key's region"}`,
      fix: `declare aws_kms_alias "${name}" in ${region ?? "the key's region"} targeting ${key.address}.key_id`,
    }));
  },
};
