/**
 * Terraform's `removed` block (Terraform 1.7+): the resource at `from` leaves the configuration
 * without being destroyed (`destroy = false`, the plan says "forget"), or is destroyed on
 * purpose (`destroy = true`; a KMS key is then scheduled for deletion).
 *
 * ```hcl
 * removed {
 *   from = aws_kms_replica_key.apac
 *   lifecycle {
 *     destroy = false
 *   }
 * }
 * ```
 *
 * Terraform still needs the provider configuration of a resource it forgets or destroys, so the
 * region's provider stays while such a block names one of its resources.
 */
import { TerraformElement } from "cdktf";
import type { Construct } from "constructs";

export interface RemovedBlockProps {
  /** The address that leaves the configuration: `aws_kms_replica_key.apac`. */
  readonly from: string;
  /** Whether Terraform destroys the resource (true) or only forgets it (false). */
  readonly destroy: boolean;
}

export class RemovedBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    readonly props: RemovedBlockProps,
  ) {
    super(scope, id);
  }

  override toTerraform(): { removed: Array<{ from: string; lifecycle: { destroy: boolean } }> } {
    return { removed: [{ from: this.props.from, lifecycle: { destroy: this.props.destroy } }] };
  }
}
