/**
 * What a reference in the plan's configuration points to, followed through module outputs and
 * module input variables: `module.keys["orders"].key_arn` in the root module is
 * `module.keys["orders"].aws_kms_key.this.arn` when the output is that attribute.
 *
 * The plan gives an expression's references, not the expression: a reference names its target
 * only when it is the only one in the expression and no function or template is known to wrap
 * it. Callers check that with the values (see arguments.ts); this file only follows names.
 */
import { isObject } from "../json";
import {
  childModule,
  inModule,
  keySuffix,
  type ModuleInstance,
  parentModule,
  type Step,
  splitTraversal,
} from "./addresses";
import { localAddress, type PlanIndex } from "./plan-index";
import type { Expression } from "./types";

/** A resource attribute (`aws_kms_key.primary` . `arn`), or a value known from a variable. */
export type Target =
  | { readonly kind: "attribute"; readonly address: string; readonly attribute: string; readonly rest: readonly Step[] }
  | { readonly kind: "value"; readonly value: unknown };

/**
 * The references of an expression without the prefixes Terraform lists after each one:
 * `aws_kms_key.primary.arn` stays, `aws_kms_key.primary` goes.
 */
export function maximalReferences(expression: Expression | undefined): string[] {
  const all = [...new Set(expression?.references ?? [])];
  return all.filter((reference) => !all.some((other) => other !== reference && isPrefix(reference, other)));
}

function isPrefix(prefix: string, of: string): boolean {
  return of.startsWith(prefix) && (of[prefix.length] === "." || of[prefix.length] === "[");
}

/** Follows one reference, read in `module`, to a resource attribute or a known value. */
export function resolveReference(
  index: PlanIndex,
  reference: string,
  module: ModuleInstance,
  depth = 0,
): Target | undefined {
  const steps = splitTraversal(reference);
  if (!steps || depth > 32) return undefined;
  const name = (i: number) => (steps[i] && "name" in steps[i] ? (steps[i] as { name: string }).name : undefined);
  const head = name(0);
  if (head === undefined || ["count", "each", "local", "path", "terraform", "self"].includes(head)) return undefined;
  if (head === "var") {
    const variable = name(1);
    return variable === undefined ? undefined : extend(variableTarget(index, variable, module, depth), steps.slice(2));
  }
  if (head === "module") {
    const call = name(1);
    if (call === undefined) return undefined;
    const keyed = steps[2] && "key" in steps[2] ? steps[2].key : undefined;
    const outputAt = keyed === undefined ? 2 : 3;
    const output = name(outputAt);
    const child = childModule(module, call, keyed);
    // A call with count or for_each has no instance without a key: the reference is to all of them.
    if (output === undefined || (keyed === undefined && !index.hasModule(child))) return undefined;
    const expression = index.moduleConfig(child.calls)?.outputs?.[output]?.expression;
    return extend(singleTarget(index, expression, child, depth + 1), steps.slice(outputAt + 1));
  }
  const data = head === "data";
  const type = name(data ? 1 : 0);
  const resourceName = name(data ? 2 : 1);
  if (type === undefined || resourceName === undefined) return undefined;
  let at = data ? 3 : 2;
  const local = localAddress(data ? "data" : "managed", type, resourceName);
  let key: string | number | undefined;
  if (steps[at] && "key" in steps[at]) key = (steps[at++] as { key: string | number }).key;
  const attribute = name(at);
  if (attribute === undefined) return undefined;
  if (key === undefined) {
    // Without a key, only a block that has a single instance without one is a single resource.
    const instances = index.instancesOf(module, local);
    if (instances.length !== 1 || instances[0].index !== undefined) return undefined;
  }
  return {
    kind: "attribute",
    address: inModule(module, `${local}${keySuffix(key)}`),
    attribute,
    rest: steps.slice(at + 1),
  };
}

/**
 * The target of an expression that holds exactly one reference (after dropping prefixes), or
 * its value when it is a constant.
 */
export function singleTarget(
  index: PlanIndex,
  expression: Expression | undefined,
  module: ModuleInstance,
  depth = 0,
): Target | undefined {
  if (expression === undefined) return undefined;
  if (expression.constant_value !== undefined) return { kind: "value", value: expression.constant_value };
  const references = maximalReferences(expression);
  return references.length === 1 ? resolveReference(index, references[0], module, depth + 1) : undefined;
}

/** A module's input variable: the root's value, or what the module call passes (else its default). */
function variableTarget(index: PlanIndex, variable: string, module: ModuleInstance, depth: number): Target | undefined {
  const parent = parentModule(module);
  if (!parent) {
    const given = index.rootVariable(variable);
    return given && "value" in given ? { kind: "value", value: given.value } : undefined;
  }
  const expression = index.moduleCall(module.calls)?.expressions?.[variable];
  if (expression) return singleTarget(index, expression, parent.parent, depth + 1);
  const declared = index.moduleConfig(module.calls)?.variables?.[variable];
  return declared && "default" in declared ? { kind: "value", value: declared.default } : undefined;
}

function extend(target: Target | undefined, steps: readonly Step[]): Target | undefined {
  if (!target || steps.length === 0) return target;
  if (target.kind === "attribute") return { ...target, rest: [...target.rest, ...steps] };
  let value = target.value;
  for (const step of steps) {
    if ("name" in step) value = isObject(value) ? value[step.name] : undefined;
    else
      value =
        Array.isArray(value) && typeof step.key === "number"
          ? value[step.key]
          : isObject(value)
            ? value[String(step.key)]
            : undefined;
    if (value === undefined) return undefined;
  }
  return { kind: "value", value };
}

/** What the plan knows of a target's value: `known` false when it is known only after apply. */
export function plannedValue(
  index: PlanIndex,
  target: Target,
): { readonly known: boolean; readonly value?: unknown } | undefined {
  if (target.kind === "value") return { known: true, value: target.value };
  const instance = index.instance(target.address);
  if (!instance) return undefined;
  let value: unknown = instance.values;
  let unknown: unknown = instance.unknown;
  for (const step of [{ name: target.attribute }, ...target.rest]) {
    const at = "name" in step ? step.name : step.key;
    if (unknown === true) return { known: false };
    unknown =
      isObject(unknown) || Array.isArray(unknown) ? (unknown as Record<string, unknown>)[at as string] : undefined;
    value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[at as string] : undefined;
  }
  if (unknown === true) return { known: false };
  return { known: true, value };
}
