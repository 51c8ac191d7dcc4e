/**
 * HCL back to Terraform's JSON shape, with @cdktf/hcl2json (Terraform's own HCL parser built
 * to WebAssembly). hcl2json writes every block as a list of bodies and every bare expression
 * as a `${...}` template; see normaliseForComparison for comparing its output with cdktf's JSON.
 */
import type { Json } from "../json";

/**
 * Parses HCL into Terraform's JSON shape. Rejects HCL that does not parse.
 * @cdktf/hcl2json is a development dependency, so it is loaded only when this is called.
 */
export async function hclToJson(hcl: string): Promise<Json> {
  const { parse } = await import("@cdktf/hcl2json");
  return parse("main.tf", hcl);
}
