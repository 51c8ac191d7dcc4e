/**
 * The JSON of `terraform show -json <planfile>` (format 1.x), as far as mrk reads it. The
 * field names are Terraform's own, so this file is the one place that spells them.
 *
 * Terraform's reference: "JSON Output Format" (internals/json-format) of Terraform 1.x; checked
 * against the output of Terraform 1.11 with the AWS provider 5.100.0.
 */
import type { Json } from "../json";

/** The whole document. */
export interface TerraformPlan {
  /** `1.2` for Terraform 1.11; any 1.x reads the same. */
  readonly format_version: string;
  readonly terraform_version?: string;
  /** The root module's input variables, with the values the plan used. */
  readonly variables?: Readonly<Record<string, { readonly value?: unknown }>>;
  /** The resources as they will be after apply; values known only then are left out. */
  readonly planned_values?: { readonly root_module?: ValuesModule };
  /**
   * The state after the refresh. Data sources read while planning are here, and only here,
   * when nothing about them changes.
   */
  readonly prior_state?: { readonly values?: { readonly root_module?: ValuesModule } };
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: PlanConfiguration;
}

/** A module instance of `planned_values` or `prior_state`. */
export interface ValuesModule {
  /** `module.keys["orders"]`; absent for the root module. */
  readonly address?: string;
  readonly resources?: readonly ValuesResource[];
  readonly child_modules?: readonly ValuesModule[];
}

/** One resource instance with its values. */
export interface ValuesResource {
  /** `module.keys["orders"].aws_kms_alias.extra[0]` */
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** The count index or for_each key of the instance. */
  readonly index?: number | string;
  /** `registry.terraform.io/hashicorp/aws`: the provider, not the configuration (alias) used. */
  readonly provider_name?: string;
  readonly values?: Readonly<Json>;
}

/** A planned change of one resource instance. */
export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly change: {
    /** `["create"]`, `["no-op"]`, `["delete", "create"]`, `["read"]`, `["forget"]`... */
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    /** The shape of `after` with `true` where a value is known only after apply. */
    readonly after_unknown?: unknown;
  };
  readonly action_reason?: string;
}

/** The configuration the plan was made from: expressions, not values. */
export interface PlanConfiguration {
  /**
   * Provider configurations by key: `aws`, `aws.eu` in the root module, `module.kms:aws` for
   * one declared in a child module. Resources of a child module that was passed a provider
   * name the caller's key.
   */
  readonly provider_config?: Readonly<Record<string, ProviderConfig>>;
  readonly root_module?: ConfigModule;
}

export interface ProviderConfig {
  /** `aws` */
  readonly name: string;
  readonly full_name?: string;
  readonly alias?: string;
  /** The module that declares it, for one declared in a child module. */
  readonly module_address?: string;
  readonly expressions?: Expressions;
}

/** A module's configuration (once for all its instances). */
export interface ConfigModule {
  readonly resources?: readonly ConfigResource[];
  readonly module_calls?: Readonly<Record<string, ModuleCall>>;
  readonly outputs?: Readonly<Record<string, { readonly expression?: Expression; readonly sensitive?: boolean }>>;
  readonly variables?: Readonly<Record<string, { readonly default?: unknown }>>;
}

/** A resource or data block (once for all its instances). */
export interface ConfigResource {
  /** Relative to its module: `aws_kms_key.this`. */
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** The key in `provider_config` of the provider configuration it uses. */
  readonly provider_config_key?: string;
  readonly expressions?: Expressions;
  readonly count_expression?: Expression;
  readonly for_each_expression?: Expression;
}

export interface ModuleCall {
  /** `./modules/key`, `terraform-aws-modules/kms/aws` */
  readonly source?: string;
  /** The module's input variables as the call sets them. */
  readonly expressions?: Readonly<Record<string, Expression>>;
  readonly count_expression?: Expression;
  readonly for_each_expression?: Expression;
  readonly module?: ConfigModule;
}

/**
 * One argument's expression. `constant_value` when Terraform can evaluate it without any
 * context; `references` lists every reference in it, each followed by its shorter prefixes
 * (`aws_kms_key.primary.arn`, `aws_kms_key.primary`). A function call on constants
 * (`jsonencode({...})`) has neither: its value is only in the planned values.
 */
export interface Expression {
  readonly constant_value?: unknown;
  readonly references?: readonly string[];
}

/** The arguments of a block: an expression each, and a list of nested blocks' arguments for each block type. */
export interface Expressions {
  readonly [name: string]: Expression | readonly Expressions[];
}

/** Whether an entry of `Expressions` is a list of nested blocks rather than one argument's expression. */
export function isBlockList(entry: Expression | readonly Expressions[] | undefined): entry is readonly Expressions[] {
  return Array.isArray(entry);
}
