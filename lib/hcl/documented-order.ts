/**
 * The order in which people write the bodies of the blocks our constructs make: the reference
 * document's Terraform section, and the AWS provider's and IAM's documentation.
 *
 * cdktf's JSON holds a resource's arguments in alphabetical order (its generated classes list
 * them so), which reads nothing like hand-written Terraform: `actions`, `effect`, `resources`,
 * `sid` in an IAM statement, `policy` between `multi_region` and `primary_key_arn`. A layout
 * (`BlockRules.layout`) puts them back in the order a reviewer expects; Terraform reads the
 * arguments of a block in any order, so the HCL still means exactly what the JSON means.
 * A type with no layout here keeps the JSON's order.
 */
import { type BlockRules, type BlockTypes, type Layout, OTHER_ARGUMENTS } from "./blocks";

/** The layout of a block and of its nested blocks, by name. */
export interface LayoutRules {
  readonly layout?: Layout;
  readonly blocks?: { readonly [name: string]: LayoutRules };
}

/** Who, what, on which resources, under which conditions: IAM's own order for a statement. */
const IAM_STATEMENT: LayoutRules = {
  layout: [
    [
      "sid",
      "effect",
      "principals",
      "not_principals",
      "actions",
      "not_actions",
      "resources",
      "not_resources",
      "condition",
      OTHER_ARGUMENTS,
    ],
  ],
  blocks: {
    principals: { layout: [["type", "identifiers"]] },
    not_principals: { layout: [["type", "identifiers"]] },
    condition: { layout: [["test", "variable", "values"]] },
  },
};

/**
 * Layouts by `<kind>.<type>`. A key's description and settings, then its policy (the
 * reference document sets it apart by a blank line), then its tags.
 */
export const DOCUMENTED_ORDER: { readonly [kindAndType: string]: LayoutRules } = {
  "resource.aws_kms_key": {
    layout: [
      [
        "description",
        "key_usage",
        "customer_master_key_spec",
        "multi_region",
        "enable_key_rotation",
        "rotation_period_in_days",
        "deletion_window_in_days",
        "is_enabled",
        OTHER_ARGUMENTS,
      ],
      ["policy", "bypass_policy_lockout_safety_check"],
      ["tags"],
    ],
  },
  "resource.aws_kms_replica_key": {
    layout: [
      ["description", "primary_key_arn", "enabled", "deletion_window_in_days", OTHER_ARGUMENTS],
      ["policy", "bypass_policy_lockout_safety_check"],
      ["tags"],
    ],
  },
  "resource.aws_kms_alias": { layout: [["name", "target_key_id", OTHER_ARGUMENTS]] },
  "data.aws_iam_policy_document": { blocks: { statement: IAM_STATEMENT } },
};

/**
 * `rules` with the layouts of `layouts` added to the block and to the nested blocks `rules`
 * has; a nested block only `layouts` names is left out, since only the provider's schema says
 * what is a block.
 */
export function withLayouts(rules: BlockRules, layouts: LayoutRules | undefined): BlockRules {
  if (!layouts) return rules;
  const blocks: { [name: string]: BlockRules } = { ...rules.blocks };
  for (const [name, inner] of Object.entries(layouts.blocks ?? {})) {
    if (blocks[name]) blocks[name] = withLayouts(blocks[name], inner);
  }
  return { ...rules, ...(layouts.layout ? { layout: layouts.layout } : {}), blocks: blocks as BlockTypes };
}
