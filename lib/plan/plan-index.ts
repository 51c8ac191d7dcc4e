/**
 * A plan's resource instances and configuration, looked up by address: what the readers of
 * arguments, references and regions ask of a plan.
 */
import { isObject, type Json } from "../json";
import { inModule, type ModuleInstance, moduleOf } from "./addresses";
import type {
  ConfigModule,
  ConfigResource,
  ModuleCall,
  ProviderConfig,
  TerraformPlan,
  ValuesModule,
  ValuesResource,
} from "./types";

/** One resource or data source instance, as it will be after apply. */
export interface Instance {
  /** `module.keys["orders"].aws_kms_alias.extra[0]` */
  readonly address: string;
  readonly module: ModuleInstance;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  /** The known values (values known only after apply are absent, or null inside lists). */
  readonly values: Readonly<Json>;
  /** `after_unknown` of its change: the shape of the values with `true` where a value is unknown. */
  readonly unknown?: unknown;
  /** Its block in the configuration. */
  readonly config?: ConfigResource;
}

/** `aws_kms_key.this` or `data.aws_iam_policy_document.this`: a block's address within its module. */
export function localAddress(mode: "managed" | "data", type: string, name: string): string {
  return `${mode === "data" ? "data." : ""}${type}.${name}`;
}

export class PlanIndex {
  /** Every instance, managed resources and data sources, in the plan's order. */
  readonly instances: readonly Instance[];
  private readonly byAddress = new Map<string, Instance>();
  private readonly byBlock = new Map<string, Instance[]>();
  private readonly modules = new Set<string>([""]);

  constructor(readonly plan: TerraformPlan) {
    const unknownByAddress = new Map(
      (plan.resource_changes ?? []).map((change) => [change.address, change.change.after_unknown]),
    );
    const instances: Instance[] = [];
    const add = (resource: ValuesResource) => {
      if (this.byAddress.has(resource.address)) return;
      const module = moduleOf(resource.address);
      const instance: Instance = {
        address: resource.address,
        module,
        mode: resource.mode,
        type: resource.type,
        name: resource.name,
        index: resource.index,
        values: resource.values ?? {},
        unknown: unknownByAddress.get(resource.address),
        config: this.configResource(module, localAddress(resource.mode, resource.type, resource.name)),
      };
      instances.push(instance);
      this.byAddress.set(instance.address, instance);
      const block = inModule(module, localAddress(instance.mode, instance.type, instance.name));
      this.byBlock.set(block, [...(this.byBlock.get(block) ?? []), instance]);
      this.modules.add(module.address);
    };
    walk(plan.planned_values?.root_module, add);
    // Data sources read while planning are in the refreshed state only; resources there that
    // the plan deletes are not in planned_values and stay out.
    walk(plan.prior_state?.values?.root_module, (resource) => {
      if (resource.mode === "data") add(resource);
    });
    this.instances = instances;
  }

  instance(address: string): Instance | undefined {
    return this.byAddress.get(address);
  }

  /** The instances of a block (`aws_kms_key.this` of `module.kms`): one, or one per count index or for_each key. */
  instancesOf(module: ModuleInstance, local: string): Instance[] {
    return [...(this.byBlock.get(inModule(module, local)) ?? [])];
  }

  /** Whether the plan has resources in a module instance (`module.keys["orders"]`). */
  hasModule(module: ModuleInstance): boolean {
    return this.modules.has(module.address);
  }

  /** A module's configuration, by its calls' names from the root (`["keys"]`). */
  moduleConfig(calls: readonly string[]): ConfigModule | undefined {
    let module = this.plan.configuration?.root_module;
    for (const call of calls) module = module?.module_calls?.[call]?.module;
    return module;
  }

  /** The call of a module (`module "keys" {...}`), by its calls' names from the root. */
  moduleCall(calls: readonly string[]): ModuleCall | undefined {
    if (calls.length === 0) return undefined;
    return this.moduleConfig(calls.slice(0, -1))?.module_calls?.[calls[calls.length - 1]];
  }

  /** A resource or data block of a module. */
  configResource(module: ModuleInstance, local: string): ConfigResource | undefined {
    return this.moduleConfig(module.calls)?.resources?.find(
      (resource) => localAddress(resource.mode, resource.type, resource.name) === local,
    );
  }

  providerConfig(key: string): ProviderConfig | undefined {
    return this.plan.configuration?.provider_config?.[key];
  }

  /** A root module variable's value in this plan. */
  rootVariable(name: string): { readonly value?: unknown } | undefined {
    return this.plan.variables?.[name];
  }
}

function walk(module: ValuesModule | undefined, visit: (resource: ValuesResource) => void): void {
  if (!module) return;
  for (const resource of module.resources ?? []) if (isObject(resource)) visit(resource);
  for (const child of module.child_modules ?? []) walk(child, visit);
}
