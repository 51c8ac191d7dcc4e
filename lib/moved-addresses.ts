import { TerraformResource, type TerraformStack } from "cdktf";
import * as z from "zod";
import { formatValue, InvalidInputError } from "./validation";

/**
 * A resource address in another configuration, as `terraform state list` prints it:
 * `aws_kms_key.main`, `aws_kms_key.keys["eu"]`, `module.kms.aws_kms_replica_key.this[0]`.
 */
export const resourceAddressSchema = z
  .string()
  .regex(/^(module\.[A-Za-z_][\w-]*(\[[^\]]+\])?\.)*[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*(\[[^\]]+\])?$/, {
    error: 'must be a Terraform resource address such as "aws_kms_key.main" or "module.kms.aws_kms_key.this"',
  });

/** The resource type of an address: `module.kms.aws_kms_key.this[0]` is `aws_kms_key`. */
function resourceType(address: string): string {
  const withoutIndex = address.replace(/\[[^\]]+\]$/, "");
  const parts = withoutIndex.split(".");
  return parts[parts.length - 2];
}

/** Every resource of a stack by its address (`aws_kms_key.primary`). */
function resourcesByAddress(stack: TerraformStack): Map<string, TerraformResource> {
  const resources = stack.node
    .findAll()
    .filter((construct): construct is TerraformResource => TerraformResource.isTerraformResource(construct));
  return new Map(
    resources.map((resource) => [`${resource.terraformResourceType}.${resource.friendlyUniqueId}`, resource]),
  );
}

/**
 * Adopts state written under other addresses: for each `from` (an address in the team's
 * existing state) the stack gets a `moved { from = <from>, to = <ours> }` block, so
 * `terraform plan` moves the state entry instead of destroying one key and creating another.
 *
 * `field` names the mapping in error messages (`movedFrom` in a config file).
 */
export function adoptAddresses(
  stack: TerraformStack,
  movedFrom: Readonly<Record<string, string>>,
  field = "movedFrom",
): void {
  const ours = resourcesByAddress(stack);
  for (const [from, to] of Object.entries(movedFrom)) {
    const at = `${field}[${formatValue(from)}]`;
    const parsed = resourceAddressSchema.safeParse(from);
    if (!parsed.success) {
      throw new InvalidInputError(`${at}: ${formatValue(from)} ${parsed.error.issues[0].message}`);
    }
    const target = ours.get(to);
    if (!target) {
      throw new InvalidInputError(
        `${at}: ${formatValue(to)} is not a resource of stack ${stack.node.id}; its resources are ${[...ours.keys()].join(", ")}`,
      );
    }
    if (resourceType(from) !== target.terraformResourceType) {
      throw new InvalidInputError(
        `${at}: ${formatValue(to)} is a ${target.terraformResourceType}, but ${from} is a ${resourceType(from)}; Terraform moves state only between resources of one type`,
      );
    }
    target.moveFromId(from);
  }
}
