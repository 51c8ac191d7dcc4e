/**
 * Which config file a stack was built from, recorded in its synthesized JSON:
 * `"//": { "metadata": { "mrk": { "configFile": "stacks/global-encrypt.json" } } }`. Terraform
 * ignores `//`; `mrk` reads it to find the file to update (a failover records the new primary
 * region there) when it runs a project's app.
 */
import { isAbsolute, relative } from "node:path";
import { TerraformElement } from "cdktf";
import type { Construct } from "constructs";
import { isObject, type Json } from "./json";

export class ConfigFileRecord extends TerraformElement {
  /** The config file, relative to the folder the app runs in. */
  readonly configFile: string;

  constructor(scope: Construct, id: string, configFile: string) {
    super(scope, id);
    const fromCwd = relative(process.cwd(), configFile);
    this.configFile = (isAbsolute(fromCwd) || fromCwd.startsWith("..") ? configFile : fromCwd).split("\\").join("/");
  }

  override toMetadata(): Json {
    return { mrk: { configFile: this.configFile } };
  }
}

/** The config file a stack's JSON records, if it was built from one. */
export function recordedConfigFile(stackJson: Json): string | undefined {
  const comment = stackJson["//"];
  const metadata = isObject(comment) ? comment.metadata : undefined;
  const mrk = isObject(metadata) ? metadata.mrk : undefined;
  const file = isObject(mrk) ? mrk.configFile : undefined;
  return typeof file === "string" ? file : undefined;
}
