/**
 * The Terraform language's own blocks (not a provider's): which of their keys are
 * meta-arguments, references written bare, and nested blocks.
 */
import { type BlockRules, OTHER_ARGUMENTS } from "./blocks";

const LIFECYCLE: BlockRules = {
  references: ["ignore_changes", "replace_triggered_by"],
  blocks: { precondition: {}, postcondition: {} },
};

/** `resource` and `data` blocks; the provider's nested blocks are added per type. */
export const RESOURCE: BlockRules = {
  metaArguments: ["provider", "count", "for_each", "depends_on"],
  references: ["provider", "depends_on"],
  blocks: { lifecycle: LIFECYCLE },
};

/** `provider` blocks, `alias` first; the provider's nested blocks are added per type. */
export const PROVIDER: BlockRules = { layout: [["alias", OTHER_ARGUMENTS]] };

/** The `terraform` block: `required_providers`, `backend "<type>"`, `cloud`. */
export const TERRAFORM: BlockRules = {
  blocks: {
    required_providers: {},
    backend: { labels: 1, blocks: { workspaces: {} } },
    cloud: { blocks: { workspaces: {} } },
  },
};

export const VARIABLE: BlockRules = { references: ["type"], blocks: { validation: {} } };

export const OUTPUT: BlockRules = {
  metaArguments: ["depends_on"],
  references: ["depends_on"],
  blocks: { precondition: {} },
};

export const LOCALS: BlockRules = {};

export const MOVED: BlockRules = { layout: [["from", "to", OTHER_ARGUMENTS]], references: ["from", "to"] };

export const IMPORT: BlockRules = { references: ["to", "provider"] };

export const REMOVED: BlockRules = { references: ["from"], blocks: { lifecycle: {} } };
