/**
 * References to resources' attributes that cost one token per map, not one per reference.
 *
 * Every read of a resource attribute in cdktf (`key.arn`) makes a new token, and every token
 * records a full stack trace. A key set's outputs map each region to its key's ARN, key id and
 * alias ARN: at 100 keys in 30 regions that was 9,300 tokens, and `mrk synth` took 0.32 s (6%)
 * longer than with these maps (docs/performance.md). A map written here is one `Lazy` token,
 * resolved to what the tokens would have resolved to.
 */
import { Lazy, type TerraformResource } from "cdktf";

/** One entry of a reference map: its key, and the resource attribute its value refers to. */
export type AttributeEntry = readonly [key: string, resource: TerraformResource, attribute: string];

/**
 * A map from each entry's key to `${<type>.<name>.<attribute>}`, the reference cdktf's attribute
 * token writes for a resource of the same stack: the resource's `friendlyUniqueId` (its
 * overridden logical id, if any), read when the stack resolves. A resource with `for_each` gets
 * cdktf's own reference.
 */
export function attributeReferenceMap(entries: () => readonly AttributeEntry[]): unknown {
  return Lazy.anyValue({
    produce: () =>
      Object.fromEntries(
        entries().map(([key, resource, attribute]) => [
          key,
          resource.forEach
            ? resource.getStringAttribute(attribute)
            : `\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.${attribute}}`,
        ]),
      ),
  });
}
