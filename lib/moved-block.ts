/**
 * Terraform's `moved` block: the object Terraform tracks at `from` is the one now declared at
 * `to`, so a new address is a move in the plan, not a destroy and a create.
 *
 * ```hcl
 * moved {
 *   from = aws_kms_replica_key.apac
 *   to   = aws_kms_replica_key.asia
 * }
 * ```
 *
 * cdktf's `moveFromId` gives a resource one such block; a replica renamed twice needs one from
 * each of its former addresses, and the blocks must stay in the configuration for every state
 * that may not have applied the move yet (Terraform's advice is to keep them for good).
 */
import { TerraformElement } from "cdktf";
import type { Construct } from "constructs";

export interface MovedBlockProps {
  /** The address Terraform's state may still hold: `aws_kms_replica_key.apac`. */
  readonly from: string;
  /** The address the configuration declares now: `aws_kms_replica_key.asia`. */
  readonly to: string;
}

export class MovedBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    readonly props: MovedBlockProps,
  ) {
    super(scope, id);
  }

  override toTerraform(): { moved: Array<{ from: string; to: string }> } {
    return { moved: [{ from: this.props.from, to: this.props.to }] };
  }
}
