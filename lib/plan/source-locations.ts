/**
 * Where a resource of a plan is written: the `.tf` file and line of its block, for SARIF and
 * JUnit reports. The plan JSON names each module's source but no file or line, so the blocks
 * are found in the module folders: the one `terraform init` recorded
 * (`.terraform/modules/modules.json`), else the local source path (`./modules/key`).
 *
 * A resource of a module that is not part of the project (a registry module, installed under
 * `.terraform/`) is located at its `module "..." {` call, the line a team can change.
 * Blocks are found by their header (`resource "aws_kms_key" "primary" {`); `.tf.json` files
 * are not read.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { isObject } from "../json";
import { moduleOf, parentModule, splitTraversal } from "./addresses";
import type { TerraformPlan } from "./types";

export interface SourceLocation {
  /** Absolute path of the `.tf` file. */
  readonly file: string;
  /** 1-based line of the block's header. */
  readonly line: number;
}

interface Block {
  readonly kind: string;
  readonly labels: readonly string[];
  readonly location: SourceLocation;
}

const HEADER = /^\s*(resource|data|module)\s+("?)([\w-]+)\2(?:\s+("?)([\w-]+)\4)?\s*\{/;

export class SourceLocator {
  private readonly blocksByDir = new Map<string, Block[]>();
  private readonly manifest: Map<string, string>;

  /** `rootDir`: the root module's folder (where `terraform plan` ran). */
  constructor(
    private readonly rootDir: string,
    private readonly plan: TerraformPlan,
  ) {
    this.manifest = readManifest(rootDir);
  }

  /** The block of a resource or data source address, or of the module call that holds it. */
  locate(address: string): SourceLocation | undefined {
    const module = moduleOf(address);
    const rest = splitTraversal(module.address ? address.slice(module.address.length + 1) : address) ?? [];
    const names = rest.flatMap((step) => ("name" in step ? [step.name] : []));
    const [kind, type, name] = names[0] === "data" ? ["data", names[1], names[2]] : ["resource", names[0], names[1]];
    const dir = this.moduleDir(module.calls);
    if (dir && this.inProject(dir)) {
      const found = this.blocks(dir).find((b) => b.kind === kind && b.labels[0] === type && b.labels[1] === name);
      if (found) return found.location;
    }
    return this.locateCall(module);
  }

  /** The `module "name" {` block of the outermost call of `module` that is not in the project, or of `module` itself. */
  private locateCall(module: ReturnType<typeof moduleOf>): SourceLocation | undefined {
    const parent = parentModule(module);
    if (!parent) return undefined;
    const dir = this.moduleDir(parent.parent.calls);
    if (dir && this.inProject(dir)) {
      const found = this.blocks(dir).find((b) => b.kind === "module" && b.labels[0] === parent.call);
      if (found) return found.location;
    }
    return this.locateCall(parent.parent);
  }

  private moduleDir(calls: readonly string[]): string | undefined {
    if (calls.length === 0) return resolve(this.rootDir);
    const recorded = this.manifest.get(calls.join("."));
    if (recorded !== undefined) return resolve(this.rootDir, recorded);
    const parent = this.moduleDir(calls.slice(0, -1));
    let config = this.plan.configuration?.root_module;
    for (const call of calls.slice(0, -1)) config = config?.module_calls?.[call]?.module;
    const source = config?.module_calls?.[calls[calls.length - 1]]?.source;
    return parent && source && /^\.\.?\//.test(source) ? resolve(parent, source) : undefined;
  }

  private inProject(dir: string): boolean {
    const fromRoot = relative(resolve(this.rootDir), dir);
    return existsSync(dir) && !fromRoot.split(/[\\/]/).includes(".terraform");
  }

  private blocks(dir: string): Block[] {
    let blocks = this.blocksByDir.get(dir);
    if (!blocks) {
      blocks = [];
      const files = readdirSync(dir)
        .filter((file) => file.endsWith(".tf"))
        .sort();
      for (const file of files) {
        const path = join(dir, file);
        readFileSync(path, "utf8")
          .split("\n")
          .forEach((text, i) => {
            const match = HEADER.exec(text);
            if (match)
              blocks!.push({
                kind: match[1],
                labels: [match[3], match[5]].filter((l) => l !== undefined),
                location: { file: path, line: i + 1 },
              });
          });
      }
      this.blocksByDir.set(dir, blocks);
    }
    return blocks;
  }
}

/** `.terraform/modules/modules.json`: each module call's key (`keys`, `keys.inner`) and folder. */
function readManifest(rootDir: string): Map<string, string> {
  const dirs = new Map<string, string>();
  try {
    const manifest = JSON.parse(readFileSync(join(rootDir, ".terraform", "modules", "modules.json"), "utf8"));
    for (const entry of isObject(manifest) && Array.isArray(manifest.Modules) ? manifest.Modules : []) {
      if (isObject(entry) && typeof entry.Key === "string" && typeof entry.Dir === "string" && entry.Key !== "") {
        dirs.set(entry.Key, entry.Dir);
      }
    }
  } catch {
    // No manifest (the plan was made elsewhere, or the folder has no modules): local sources only.
  }
  return dirs;
}
