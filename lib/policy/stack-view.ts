/**
 * A read-only view of a synthesized stack (`stack.toTerraform()`), with what the policy rules
 * need to ask of it: the resources, the region of each, which keys form one multi-region key
 * set, which key a reference names, and the key policy in force on each key.
 *
 * Everything here works on the JSON alone, so a rule is a pure function of the resource it
 * checks and this view.
 */

import { entriesOf, isObject, type Json, listOf, valuesOf } from "../json";
import { KEY_TYPES, PRIMARY_KEY_TYPES, REPLICA_KEY_TYPES } from "../key-types";
import { isAwsRegion, partitionOf, providerAlias } from "../regions";
import { statementCoversAction } from "./actions";
import {
  accountRootOf,
  CALLER_ACCOUNT,
  CALLER_ARN,
  defaultKeyPolicy,
  mapDocument,
  type PolicyDocument,
  PrincipalResolver,
  policyFromDataSource,
  policyFromJson,
} from "./document";
import { jsonencodeText } from "./literal";
import { isToken, parseReference, REMOVED_TYPE, type TerraformElement } from "./terraform-json";

export type { Json } from "../json";
// For rules of your own (the policy subpath): `blocks` is lib/json.ts's `listOf`, by its earlier name.
export { isObject, listOf as blocks } from "../json";
export { KEY_TYPES, PRIMARY_KEY_TYPES, REPLICA_KEY_TYPES } from "../key-types";
export type { Reference, TerraformElement } from "./terraform-json";
export { isToken, parseReference } from "./terraform-json";

/** One key of a set: the primary or a replica, in its region. */
export interface KeyMember {
  readonly address: string;
  readonly role: "primary" | "replica";
  readonly region?: string;
}

/** A primary key and the replicas of it that the stack declares. */
export interface KeySet {
  /** The primary's address, or undefined when the primary is not in this stack. */
  readonly primary?: string;
  readonly members: readonly KeyMember[];
  /** The regions of the set (primary first), as far as they are known. */
  readonly regions: readonly string[];
}

/** Where a key's policy comes from. */
export type KeyPolicySource =
  | { readonly kind: "argument"; readonly document: PolicyDocument }
  | { readonly kind: "aws_kms_key_policy"; readonly address: string; readonly document: PolicyDocument }
  | { readonly kind: "default"; readonly document: PolicyDocument }
  | { readonly kind: "unreadable"; readonly reason: string };

/** Where a key reference (an ARN, an id, an alias) points. */
export interface KeyLocation {
  /** The key or alias element referred to, when it is one of the stack's. */
  readonly address?: string;
  /** The region of that key, when it can be told. */
  readonly region?: string;
  /** `arn` for a full key ARN (what S3 replication needs), else what was given. */
  readonly form: "arn" | "key-id" | "alias" | "unknown";
}

export interface StackViewOptions {
  /** The AWS account that owns the keys; else it is read from the account roots the policies name. */
  readonly accountId?: string;
}

/**
 * The rules ask the view about every key, so it indexes the stack once (resources by type,
 * aliases by their key, policy resources by their key, keys by region) and remembers each
 * key's policy: each answer costs the same whatever the stack's size, and checking a stack of
 * thousands of keys grows with the keys, not with their square.
 */
export class StackView {
  readonly name: string;
  readonly elements: readonly TerraformElement[];
  private readonly byAddress: Map<string, TerraformElement>;
  /** Resources (not data sources) by type, in the order of the JSON. */
  private readonly resourcesByType = new Map<string, TerraformElement[]>();
  private readonly providerRegions = new Map<string, string | undefined>();
  private readonly keySets = new Map<string, KeySet>();
  private aliasesByKey?: Map<string, TerraformElement[]>;
  private policyResourceByKey?: Map<string, TerraformElement>;
  private keysByRegion?: Map<string | undefined, TerraformElement[]>;
  private readonly policies = new Map<string, KeyPolicySource>();
  /** `readPolicy` of each policy argument read so far, by its value. */
  private readonly documents = new Map<string, PolicyDocument | string>();
  readonly accountId?: string;
  readonly principals: PrincipalResolver;

  constructor(
    readonly json: Json,
    options: StackViewOptions = {},
  ) {
    const metadata = (json["//"] as Json | undefined)?.metadata as Json | undefined;
    this.name = typeof metadata?.stackName === "string" ? metadata.stackName : "stack";
    const elements: TerraformElement[] = [];
    for (const kind of ["resource", "data"] as const) {
      for (const [type, byName] of entriesOf(json[kind])) {
        for (const [name, config] of entriesOf(byName)) {
          if (!isObject(config)) continue;
          const metadata = (config["//"] as Json | undefined)?.metadata as Json | undefined;
          const path = metadata?.path;
          elements.push({
            // A stack read from a Terraform plan gives each element its own address
            // (`module.kms.aws_kms_key.this[0]`, lib/plan); cdktf's JSON is addressed by type and name.
            address:
              typeof metadata?.address === "string"
                ? metadata.address
                : `${kind === "data" ? "data." : ""}${type}.${name}`,
            type,
            name,
            kind,
            config,
            path: typeof path === "string" ? path : undefined,
          });
        }
      }
    }
    this.elements = elements;
    this.byAddress = new Map(elements.map((element) => [element.address, element]));
    // `removed` blocks, for the rules that check what leaves the configuration (resources(REMOVED_TYPE)).
    const removed = listOf(json.removed)
      .filter((block) => typeof block.from === "string")
      .map(
        (block): TerraformElement => ({
          address: block.from as string,
          type: REMOVED_TYPE,
          name: block.from as string,
          kind: "removed",
          config: block,
        }),
      );
    if (removed.length > 0) this.resourcesByType.set(REMOVED_TYPE, removed);
    for (const element of elements) {
      if (element.kind !== "resource") continue;
      const ofType = this.resourcesByType.get(element.type);
      if (ofType) ofType.push(element);
      else this.resourcesByType.set(element.type, [element]);
    }

    for (const [providerType, configurations] of entriesOf(json.provider)) {
      for (const configuration of listOf(configurations)) {
        const alias = typeof configuration.alias === "string" ? `.${configuration.alias}` : "";
        const region =
          typeof configuration.region === "string" && !isToken(configuration.region) ? configuration.region : undefined;
        this.providerRegions.set(`${providerType}${alias}`, region);
      }
    }

    this.accountId = options.accountId ?? this.inferAccountId();
    this.principals = new PrincipalResolver(this);
    this.buildKeySets();
  }

  /** The resources (not data sources) of the stack, optionally of some types, in the order of the JSON. */
  resources(...types: string[]): TerraformElement[] {
    if (types.length === 0) return this.elements.filter((e) => e.kind === "resource");
    if (types.length === 1) return [...(this.resourcesByType.get(types[0]) ?? [])];
    // The JSON groups resources by type, so the types in their JSON order keep the elements' order.
    const order = [...this.resourcesByType.keys()];
    return [...new Set(types)]
      .filter((type) => this.resourcesByType.has(type))
      .sort((a, b) => order.indexOf(a) - order.indexOf(b))
      .flatMap((type) => this.resourcesByType.get(type)!);
  }

  /** The element at an address (`aws_kms_key.primary`, `data.aws_iam_policy_document.x`). */
  element(address: string): TerraformElement | undefined {
    return this.byAddress.get(address);
  }

  /** Every resource address, for error messages. */
  get resourceAddresses(): string[] {
    return this.resources().map((r) => r.address);
  }

  /**
   * The region of an element: its provider's `region`. Provider aliases follow the project's
   * convention (`aws.eu_west_1` is eu-west-1) when the provider block does not say.
   */
  regionOf(element: TerraformElement): string | undefined {
    const provider = typeof element.config.provider === "string" ? element.config.provider : "aws";
    if (this.providerRegions.has(provider)) {
      const region = this.providerRegions.get(provider);
      if (region) return region;
    }
    const alias = provider.split(".")[1];
    if (alias) {
      const region = alias.replace(/_/g, "-");
      if (isAwsRegion(region) && providerAlias(region) === alias) return region;
    }
    return undefined;
  }

  /** The key set a key (primary or replica) belongs to. */
  keySetOf(keyAddress: string): KeySet | undefined {
    return this.keySets.get(keyAddress);
  }

  /** Every key (primary or replica) in a region. */
  keysInRegion(region: string): TerraformElement[] {
    if (!this.keysByRegion) {
      this.keysByRegion = new Map();
      for (const key of this.resources(...KEY_TYPES)) {
        const keyRegion = this.regionOf(key);
        const there = this.keysByRegion.get(keyRegion);
        if (there) there.push(key);
        else this.keysByRegion.set(keyRegion, [key]);
      }
    }
    return [...(this.keysByRegion.get(region) ?? [])];
  }

  /**
   * Where a value that names a KMS key points: a reference to a key, an alias or a key data
   * source of this stack, or a literal key or alias ARN.
   */
  locateKey(value: unknown): KeyLocation {
    const reference = parseReference(value);
    if (reference) {
      const target = this.element(reference.address);
      const aliasLike = ["aws_kms_alias"];
      if (target && (KEY_TYPES.includes(target.type) || aliasLike.includes(target.type))) {
        const isAlias = aliasLike.includes(target.type);
        const form =
          reference.attribute === "arn" || reference.attribute === "target_key_arn"
            ? isAlias && reference.attribute === "arn"
              ? "alias"
              : "arn"
            : isAlias
              ? "alias"
              : "key-id";
        return { address: target.address, region: this.regionOf(target), form };
      }
      return { address: target?.address, form: "unknown" };
    }
    if (typeof value !== "string" || isToken(value)) return { form: "unknown" };
    const arn = /^arn:aws[\w-]*:kms:([a-z0-9-]+):\d{12}:(key|alias)\/.+$/.exec(value);
    if (arn) return { region: arn[1], form: arn[2] === "key" ? "arn" : "alias" };
    if (value.startsWith("alias/")) return { form: "alias" };
    return { form: "key-id" };
  }

  /** The aliases (`aws_kms_alias`) whose target is the key at `keyAddress`. */
  aliasesOf(keyAddress: string): TerraformElement[] {
    this.aliasesByKey ??= groupByReference(this.resources("aws_kms_alias"), "target_key_id");
    return [...(this.aliasesByKey.get(keyAddress) ?? [])];
  }

  /**
   * The key policy in force on a key: an `aws_kms_key_policy` resource for it, else its
   * `policy` argument, else KMS's default key policy (the account root, `kms:*`).
   */
  policyOf(key: TerraformElement): KeyPolicySource {
    const known = this.policies.get(key.address);
    if (known) return known;
    const source = this.readPolicyOf(key);
    this.policies.set(key.address, source);
    return source;
  }

  private readPolicyOf(key: TerraformElement): KeyPolicySource {
    if (!this.policyResourceByKey) {
      this.policyResourceByKey = new Map();
      for (const [address, [first]] of groupByReference(this.resources("aws_kms_key_policy"), "key_id")) {
        this.policyResourceByKey.set(address, first);
      }
    }
    const attached = this.policyResourceByKey.get(key.address);
    if (attached) {
      const document = this.readPolicy(attached.config.policy);
      return typeof document === "string"
        ? { kind: "unreadable", reason: `${attached.address}: ${document}` }
        : { kind: "aws_kms_key_policy", address: attached.address, document };
    }
    if (key.config.policy !== undefined) {
      const document = this.readPolicy(key.config.policy);
      return typeof document === "string" ? { kind: "unreadable", reason: document } : { kind: "argument", document };
    }
    const region = this.regionOf(key);
    const partition = region && isAwsRegion(region) ? partitionOf(region) : "aws";
    return { kind: "default", document: defaultKeyPolicy(partition, this.accountId) };
  }

  /**
   * A policy argument as a document: a reference to an `aws_iam_policy_document` data source,
   * literal JSON (tokens inside its strings are read as the stack tells them), or a
   * `jsonencode` of literal values. The account, partition and region that data sources give
   * (`data.aws_caller_identity`, `data.aws_partition`, `data.aws_region`) are read as their
   * values. Returns why not, as a string, when the policy is none of these.
   */
  readPolicy(value: unknown): PolicyDocument | string {
    // Every regional key of a key set names the same data source: it is read once.
    const known = typeof value === "string" ? this.documents.get(value) : undefined;
    if (known !== undefined) return known;
    const text = this.readPolicyText(value, new Set());
    const document = typeof text === "string" ? text : mapDocument(text, (part) => this.resolveKnown(part));
    if (typeof value === "string") this.documents.set(value, document);
    return document;
  }

  private readPolicyText(value: unknown, seen: ReadonlySet<string>): PolicyDocument | string {
    const reference = parseReference(value);
    if (reference) {
      const source = this.element(reference.address);
      if (
        source?.type === "aws_iam_policy_document" &&
        source.kind === "data" &&
        ["json", "minified_json"].includes(reference.attribute)
      ) {
        if (seen.has(source.address)) return `${source.address} includes itself`;
        return policyFromDataSource(source, (inner) => this.readPolicyText(inner, new Set([...seen, source.address])));
      }
      return `${String(value)} is not an aws_iam_policy_document of this stack, so its statements cannot be read before apply`;
    }
    if (typeof value !== "string") return `the policy is not a string`;
    const encoded = jsonencodeText(value);
    if (encoded !== undefined) return policyFromJson(encoded);
    if (value.trimStart().startsWith("{")) return policyFromJson(value);
    if (isToken(value))
      return `the policy ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} is only known at apply time`;
    return policyFromJson(value);
  }

  /**
   * Text with what the stack's data sources tell read as their values:
   * `${data.aws_caller_identity.<name>.account_id}` is the owning account (or `CALLER_ACCOUNT`
   * when no account id is known), `${data.aws_caller_identity.<name>.arn}` is `CALLER_ARN`,
   * `${data.aws_partition.<name>.partition}` the partition of that data source's region, and
   * `${data.aws_region.<name>.name}` its region, when the provider says.
   */
  resolveKnown(text: string): string {
    if (!text.includes("${data.aws_")) return text;
    return text.replace(
      /\$\{data\.(aws_caller_identity|aws_partition|aws_region)\.([A-Za-z_][\w-]*)\.([a-z_]+)\}/g,
      (token, type: string, name: string, attribute: string) => {
        if (type === "aws_caller_identity") {
          if (attribute === "account_id") return this.accountId ?? CALLER_ACCOUNT;
          return attribute === "arn" ? CALLER_ARN : token;
        }
        const source = this.element(`data.${type}.${name}`);
        const region = source ? this.regionOf(source) : undefined;
        if (type === "aws_partition" && (attribute === "partition" || attribute === "id")) {
          return region && isAwsRegion(region) ? partitionOf(region) : "aws";
        }
        if (type === "aws_region" && ["name", "region", "id"].includes(attribute) && region) return region;
        return token;
      },
    );
  }

  /**
   * The owning account when no account id is given: `CALLER_ACCOUNT` when the stack reads it
   * from `data.aws_caller_identity`; else the one account a provider allows
   * (`allowed_account_ids`); else the one account whose root the stack's policies name; else,
   * of several, the one whose root a key policy lets change the policy (the owner's statement).
   */
  private inferAccountId(): string | undefined {
    if (this.elements.some((e) => e.type === "aws_caller_identity" && e.kind === "data")) return CALLER_ACCOUNT;
    const allowed = new Set(
      valuesOf(this.json.provider)
        .flatMap((configurations) => listOf(configurations))
        .flatMap((configuration) =>
          Array.isArray(configuration.allowed_account_ids) ? configuration.allowed_account_ids : [],
        )
        .filter((id): id is string => typeof id === "string" && /^\d{12}$/.test(id)),
    );
    if (allowed.size === 1) return [...allowed][0];
    const owners = new Set<string>();
    for (const key of this.resources(...KEY_TYPES)) {
      const source = this.readPolicyOf(key);
      if (source.kind === "unreadable" || source.kind === "default") continue;
      for (const statement of source.document.statements) {
        if (statement.effect !== "Allow" || !statementCoversAction(statement, "kms:PutKeyPolicy")) continue;
        for (const principal of statement.principals ?? []) {
          const root = accountRootOf(principal.identifier);
          if (root && principal.type === "AWS") owners.add(root.account);
        }
      }
    }
    if (owners.size === 1) return [...owners][0];
    const accounts = new Set<string>();
    for (const element of this.elements) {
      const text = JSON.stringify(element.config);
      for (const match of text.matchAll(/arn:aws[\w-]*:iam::(\d{12}):root/g)) accounts.add(match[1]);
    }
    return accounts.size === 1 ? [...accounts][0] : undefined;
  }

  private buildKeySets(): void {
    const replicas = this.resources(...REPLICA_KEY_TYPES);
    const replicasByPrimary = groupByReference(replicas, "primary_key_arn");
    const claimed = new Set<string>();
    for (const primary of this.resources(...PRIMARY_KEY_TYPES)) {
      const own = replicasByPrimary.get(primary.address) ?? [];
      for (const replica of own) claimed.add(replica.address);
      const members: KeyMember[] = [
        { address: primary.address, role: "primary", region: this.regionOf(primary) },
        ...own.map(
          (replica): KeyMember => ({ address: replica.address, role: "replica", region: this.regionOf(replica) }),
        ),
      ];
      const set = keySet(primary.address, members);
      for (const member of members) this.keySets.set(member.address, set);
    }
    // Replicas of a primary declared elsewhere (a literal ARN): grouped by that ARN.
    const byPrimaryArn = new Map<string, TerraformElement[]>();
    for (const replica of replicas) {
      if (claimed.has(replica.address)) continue;
      const arn = String(replica.config.primary_key_arn ?? replica.address);
      byPrimaryArn.set(arn, [...(byPrimaryArn.get(arn) ?? []), replica]);
    }
    for (const [arn, group] of byPrimaryArn) {
      const primaryRegion = /^arn:aws[\w-]*:kms:([a-z0-9-]+):/.exec(arn)?.[1];
      const members = group.map(
        (replica): KeyMember => ({ address: replica.address, role: "replica", region: this.regionOf(replica) }),
      );
      const set = keySet(undefined, members, primaryRegion);
      for (const member of members) this.keySets.set(member.address, set);
    }
  }
}

/** Elements grouped by the address their `argument` refers to (`${aws_kms_key.primary.arn}`), each group in order. */
function groupByReference(elements: readonly TerraformElement[], argument: string): Map<string, TerraformElement[]> {
  const groups = new Map<string, TerraformElement[]>();
  for (const element of elements) {
    const address = parseReference(element.config[argument])?.address;
    if (address === undefined) continue;
    const group = groups.get(address);
    if (group) group.push(element);
    else groups.set(address, [element]);
  }
  return groups;
}

function keySet(primary: string | undefined, members: KeyMember[], primaryRegion?: string): KeySet {
  const regions = [primaryRegion, ...members.map((member) => member.region)].filter(
    (region, index, all): region is string => region !== undefined && all.indexOf(region) === index,
  );
  return { primary, members, regions };
}
