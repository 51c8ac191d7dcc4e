/**
 * References to the attributes of a stack's own resources, written without a token.
 *
 * Every read of a resource attribute in cdktf (`key.arn`) makes a new token, and every token
 * records a full stack trace. A key set read three per region: its key's ARN and key id (which
 * its alias targets too) and its alias's ARN. At 100 keys in 30 regions that was 9,300 tokens;
 * without them `mrk synth` takes 11% less time (docs/performance.md). Within the stack, what
 * such a token resolves to is a plain string: this writes it.
 */
import type { TerraformResource } from "cdktf";

/**
 * `${<type>.<name>.<attribute>}`: what cdktf's token for the attribute resolves to in the
 * resource's own stack. The name is the one cdktf's token takes, `friendlyUniqueId`, read now
 * (cdktf reads it when the attribute is read; once read, a later `overrideLogicalId` changes
 * neither). Only for the resource's own stack: cdktf turns a token that another stack uses into
 * a cross-stack output, and would not see this string. A resource with `for_each` gets cdktf's
 * token.
 */
export function attributeReference(resource: TerraformResource, attribute: string): string {
  if (resource.forEach) return resource.getStringAttribute(attribute);
  return `\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.${attribute}}`;
}
