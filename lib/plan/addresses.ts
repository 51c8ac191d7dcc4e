/**
 * Terraform addresses and references as the plan writes them: `module.keys["orders"]`,
 * `aws_kms_alias.extra[0]`, `data.aws_iam_policy_document.this.json`, `var.name`.
 */

/** One step of a traversal: `.name` or `[key]`. */
export type Step = { readonly name: string } | { readonly key: string | number };

/**
 * The steps of a traversal as Terraform prints it (`module.keys["orders"].key_arn` is
 * `module`, `keys`, `["orders"]`, `key_arn`). Undefined for text that is not one.
 */
export function splitTraversal(text: string): Step[] | undefined {
  const steps: Step[] = [];
  let rest = text;
  let first = true;
  while (rest.length > 0) {
    const name = (first ? /^([A-Za-z_][\w-]*)/ : /^\.([A-Za-z_][\w-]*)/).exec(rest);
    if (name) {
      steps.push({ name: name[1] });
      rest = rest.slice(name[0].length);
    } else {
      const key = /^\[(\d+|"(?:[^"\\]|\\.)*")\]/.exec(rest);
      if (!key) return undefined;
      steps.push({ key: JSON.parse(key[1]) as string | number });
      rest = rest.slice(key[0].length);
    }
    first = false;
  }
  return steps;
}

/** `[0]` or `["orders"]`: how Terraform writes an instance key. */
export function keySuffix(key: string | number | undefined): string {
  return key === undefined ? "" : `[${JSON.stringify(key)}]`;
}

/** The steps back as text: `module.keys["orders"].key_arn`. */
export function joinTraversal(steps: readonly Step[]): string {
  return steps.map((step, i) => ("name" in step ? `${i === 0 ? "" : "."}${step.name}` : keySuffix(step.key))).join("");
}

/** A module instance: its address (`module.a["x"].module.b`, `""` for the root) and its calls' names (`["a", "b"]`). */
export interface ModuleInstance {
  readonly address: string;
  readonly calls: readonly string[];
}

export const ROOT_MODULE: ModuleInstance = { address: "", calls: [] };

/** The module instance an address lies in: `module.keys["orders"].aws_kms_key.this` is in `module.keys["orders"]`. */
export function moduleOf(address: string): ModuleInstance {
  const steps = splitTraversal(address) ?? [];
  const calls: string[] = [];
  let end = 0;
  for (let i = 0; i + 1 < steps.length; ) {
    const step = steps[i];
    const next = steps[i + 1];
    if (!("name" in step) || step.name !== "module" || !("name" in next)) break;
    calls.push(next.name);
    i += 2;
    if (i < steps.length && "key" in steps[i]) i += 1;
    end = i;
  }
  return { address: joinTraversal(steps.slice(0, end)), calls };
}

/** `module.keys["orders"]` + `.module.inner[0]`: a child instance of a module instance. */
export function childModule(parent: ModuleInstance, call: string, key?: string | number): ModuleInstance {
  const own = `module.${call}${keySuffix(key)}`;
  return { address: parent.address ? `${parent.address}.${own}` : own, calls: [...parent.calls, call] };
}

/** The parent of a module instance, and the key of the instance in its call. */
export function parentModule(
  module: ModuleInstance,
): { parent: ModuleInstance; call: string; key?: string | number } | undefined {
  if (module.calls.length === 0) return undefined;
  const steps = splitTraversal(module.address) ?? [];
  const last = steps[steps.length - 1];
  const key = "key" in last ? last.key : undefined;
  const parentSteps = steps.slice(0, steps.length - (key === undefined ? 2 : 3));
  return {
    parent: { address: joinTraversal(parentSteps), calls: module.calls.slice(0, -1) },
    call: module.calls[module.calls.length - 1],
    key,
  };
}

/** An address inside a module instance: `module.kms.` + `aws_kms_key.this`. */
export function inModule(module: ModuleInstance, local: string): string {
  return module.address ? `${module.address}.${local}` : local;
}
