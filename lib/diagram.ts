/**
 * A Mermaid picture of a stack's key set, like the reference document's: the primary, its
 * replicas, the alias in each region, and what uses each key.
 *
 * It is drawn from the synthesized Terraform JSON alone (`stack.toTerraform()`), so any
 * construct's resources appear without this file knowing them:
 * - keys are `aws_kms_key` and `aws_kms_replica_key` (a replica's `primary_key_arn` is the
 *   "Replicate" edge), aliases are `aws_kms_alias`, each in the region of its provider;
 * - a *user* is any other resource that references a key or an alias of the stack (an S3
 *   encryption configuration, a DynamoDB table, an SNS topic, an EventBridge rule...). A
 *   resource whose type extends another's (`aws_s3_bucket_server_side_encryption_configuration`
 *   of `aws_s3_bucket`, `aws_sns_topic_policy` of `aws_sns_topic`) is drawn as the resource it
 *   configures, found through a top-level argument;
 * - one step further, resources that reference a user (CloudWatch alarms notifying a topic) are
 *   drawn too, and link resources (`LINKS`, such as EventBridge targets) become edges;
 * - users of one type in one region with the same edges are drawn as one node ("4 CloudWatch
 *   alarms"). Data sources, outputs and resources further away (a dashboard) are left out.
 */
import type { TerraformStack } from "cdktf";
import { entriesOf, isObject, type Json, listOf } from "./json";
import { KEY_TYPES } from "./key-types";

/** Readable names of resource types; others are named after the type (`aws_sqs_queue` is "sqs queue"). */
const KINDS: Readonly<Record<string, [one: string, many: string]>> = {
  aws_s3_bucket: ["S3 bucket", "S3 buckets"],
  aws_dynamodb_table: ["DynamoDB table", "DynamoDB tables"],
  aws_sns_topic: ["SNS topic", "SNS topics"],
  aws_sqs_queue: ["SQS queue", "SQS queues"],
  aws_cloudwatch_metric_alarm: ["CloudWatch alarm", "CloudWatch alarms"],
  aws_cloudwatch_event_rule: ["EventBridge rule", "EventBridge rules"],
  aws_cloudwatch_log_group: ["CloudWatch log group", "CloudWatch log groups"],
  aws_secretsmanager_secret: ["Secrets Manager secret", "Secrets Manager secrets"],
};

/** Edge labels by the argument that holds the reference; other arguments label the edge with their own name. */
const LABELS: Readonly<Record<string, string>> = {
  kms_master_key_id: "encrypts with",
  kms_key_arn: "encrypts with",
  kms_key_id: "encrypts with",
  replica_kms_key_id: "replicates with",
  event_pattern: "watches",
  alarm_actions: "notifies",
  ok_actions: "notifies",
  insufficient_data_actions: "notifies",
};

/** Resources drawn as an edge between the two resources they join, not as a node. */
const LINKS: Readonly<Record<string, { from: string; to: string; label: string }>> = {
  aws_cloudwatch_event_target: { from: "rule", to: "arn", label: "notifies" },
  aws_sns_topic_subscription: { from: "topic_arn", to: "endpoint", label: "delivers to" },
};

/** Arguments that are never references to draw. */
const META_ARGUMENTS = new Set(["//", "provider", "depends_on", "lifecycle", "count", "for_each"]);

interface Element {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly config: Json;
  readonly region: string;
}

interface Reference {
  /** The address referred to: `aws_kms_key.primary`. */
  readonly address: string;
  /** The argument holding it, without list indices: `["server_side_encryption", "kms_key_arn"]`. */
  readonly path: readonly string[];
}

interface Node {
  id: string;
  region: string;
  label: string;
  shape: "box" | "stadium";
  /** The addresses drawn by this node. */
  members: string[];
  type: string;
}

interface Edge {
  from: string;
  to: string;
  label: string;
  dotted?: boolean;
}

/** The Mermaid source of a stack's key set (`graph TD ...`), without a code fence. */
export function renderDiagram(stack: TerraformStack, synthesized?: object): string {
  return renderDiagramFromJson((synthesized ?? stack.toTerraform()) as Json);
}

/**
 * The Markdown file the synth writes beside a stack's HCL: a heading and the fenced diagram.
 * `synthesized` is the stack's JSON when the caller has it.
 * @default synthesized: `stack.toTerraform()`
 */
export function diagramMarkdown(stack: TerraformStack, synthesized?: object): string {
  return [
    `# ${stack.node.id}`,
    "",
    "The key set declared in `cdk.tf` beside this file, drawn by `npm run synth` (lib/diagram.ts).",
    "",
    "```mermaid",
    renderDiagram(stack, synthesized),
    "```",
    "",
  ].join("\n");
}

/** `renderDiagram` on synthesized Terraform JSON. */
export function renderDiagramFromJson(json: Json): string {
  const regionOfProvider = providerRegions(json);
  const elements = resources(json, regionOfProvider);
  const byAddress = new Map(elements.map((e) => [e.address, e]));
  const regions = [...new Set([...regionOfProvider.values(), ...elements.map((e) => e.region)])];

  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const nodeOf = new Map<string, Node>();
  const add = (node: Node) => {
    nodes.push(node);
    for (const member of node.members) nodeOf.set(member, node);
  };

  const keys = elements.filter((e) => KEY_TYPES.includes(e.type));
  for (const key of keys) {
    const replica = key.type === "aws_kms_replica_key";
    add({
      id: nodeId(key.address),
      region: key.region,
      label: `${replica ? "Replica key" : key.config.multi_region === true ? "Primary key" : "Key"}<br/>${key.address}`,
      shape: "box",
      members: [key.address],
      type: key.type,
    });
  }
  for (const key of keys.filter((k) => k.type === "aws_kms_replica_key")) {
    const primary = referencesIn(key.config).find((r) => r.path[0] === "primary_key_arn" && nodeOf.has(r.address));
    if (primary)
      edges.push({ from: nodeOf.get(primary.address)!.id, to: nodeOf.get(key.address)!.id, label: "Replicate" });
  }
  const keyOfAlias = new Map<string, string>();
  for (const alias of elements.filter((e) => e.type === "aws_kms_alias")) {
    const target = referencesIn(alias.config).find(
      (r) => r.path[0] === "target_key_id" && KEY_TYPES.includes(typeOf(r.address)),
    );
    if (!target) continue;
    keyOfAlias.set(alias.address, target.address);
    add({
      id: nodeId(alias.address),
      region: alias.region,
      label: typeof alias.config.name === "string" ? alias.config.name : alias.address,
      shape: "stadium",
      members: [alias.address],
      type: alias.type,
    });
    edges.push({ from: nodeId(alias.address), to: nodeOf.get(target.address)!.id, label: "alias of", dotted: true });
  }

  // Users: resources that reference a key or an alias of the stack, then those that reference a user.
  const drawn = new Set(nodeOf.keys());
  const isKeyOrAlias = (address: string) => KEY_TYPES.includes(typeOf(address)) || keyOfAlias.has(address);
  const firstRing = usersOf(elements, drawn, isKeyOrAlias, byAddress);
  const firstNodes = groupUsers(firstRing, nodeOf, byAddress);
  firstNodes.forEach(add);
  const secondRing = usersOf(elements, new Set(nodeOf.keys()), (address) => firstRing.has(address), byAddress);
  const secondNodes = groupUsers(secondRing, nodeOf, byAddress);
  secondNodes.forEach(add);
  for (const node of [...firstNodes, ...secondNodes]) {
    edges.push(...userEdges(node, nodeOf, byAddress, firstNodes.includes(node) ? firstRing : secondRing));
  }
  edges.push(...linkEdges(elements, nodeOf));

  return layout(regions, nodes, dedupe(edges));
}

/** The resources that reference `isTarget` addresses, each with the references, keyed by the address they are drawn as. */
function usersOf(
  elements: readonly Element[],
  drawn: ReadonlySet<string>,
  isTarget: (address: string) => boolean,
  byAddress: ReadonlyMap<string, Element>,
): Map<string, Reference[]> {
  const users = new Map<string, Reference[]>();
  for (const element of elements) {
    if (drawn.has(element.address) || LINKS[element.type] || element.type === "aws_kms_alias") continue;
    const references = referencesIn(element.config).filter((r) => isTarget(r.address));
    if (references.length === 0) continue;
    const shownAs = parentOf(element, byAddress) ?? element;
    if (drawn.has(shownAs.address)) continue;
    users.set(shownAs.address, [...(users.get(shownAs.address) ?? []), ...references]);
  }
  return users;
}

/**
 * The resource an element configures: one whose type the element's extends
 * (`aws_s3_bucket` for `aws_s3_bucket_versioning`), named in a top-level argument.
 */
function parentOf(element: Element, byAddress: ReadonlyMap<string, Element>): Element | undefined {
  return referencesIn(element.config)
    .filter((r) => r.path.length === 1)
    .map((r) => byAddress.get(r.address))
    .find((parent): parent is Element => parent !== undefined && element.type.startsWith(`${parent.type}_`));
}

/** One node per user; users of one type and region with the same edges share a node. */
function groupUsers(
  users: ReadonlyMap<string, Reference[]>,
  nodeOf: ReadonlyMap<string, Node>,
  byAddress: ReadonlyMap<string, Element>,
): Node[] {
  const groups = new Map<string, string[]>();
  for (const [address, references] of users) {
    const element = byAddress.get(address)!;
    const signature = [element.type, element.region, ...edgeSignature(references, nodeOf)].join("|");
    groups.set(signature, [...(groups.get(signature) ?? []), address]);
  }
  return [...groups.values()].map((members) => {
    const first = byAddress.get(members[0])!;
    const [one, many] = KINDS[first.type] ?? [
      first.type.replace(/^aws_/, "").replace(/_/g, " "),
      `${first.type.replace(/^aws_/, "").replace(/_/g, " ")}s`,
    ];
    return {
      id: members.length === 1 ? nodeId(first.address) : `${nodeId(first.address)}_and_${members.length - 1}`,
      region: first.region,
      label:
        members.length === 1
          ? `${one}<br/>${first.address}`
          : `${members.length} ${many}<br/>${members.map((m) => byAddress.get(m)!.name).join("<br/>")}`,
      shape: "box",
      members,
      type: first.type,
    };
  });
}

function edgeSignature(references: readonly Reference[], nodeOf: ReadonlyMap<string, Node>): string[] {
  return [...new Set(references.map((r) => `${nodeOf.get(r.address)?.id ?? r.address}:${labelOf(r)}`))].sort();
}

function userEdges(
  node: Node,
  nodeOf: ReadonlyMap<string, Node>,
  byAddress: ReadonlyMap<string, Element>,
  ring: ReadonlyMap<string, Reference[]>,
): Edge[] {
  const references = ring.get(node.members[0]) ?? [];
  return references
    .map((r) => ({
      to: nodeOf.get(r.address) ?? nodeOf.get(keyAddressOfAlias(r.address, byAddress) ?? ""),
      label: labelOf(r),
    }))
    .filter((e): e is { to: Node; label: string } => e.to !== undefined && e.to !== node)
    .map((e) => ({ from: node.id, to: e.to.id, label: e.label }));
}

function keyAddressOfAlias(address: string, byAddress: ReadonlyMap<string, Element>): string | undefined {
  const alias = byAddress.get(address);
  return alias?.type === "aws_kms_alias"
    ? referencesIn(alias.config).find((r) => r.path[0] === "target_key_id")?.address
    : undefined;
}

function linkEdges(elements: readonly Element[], nodeOf: ReadonlyMap<string, Node>): Edge[] {
  return elements.flatMap((element) => {
    const link = LINKS[element.type];
    if (!link) return [];
    const references = referencesIn(element.config);
    const from = nodeOf.get(references.find((r) => r.path[0] === link.from)?.address ?? "");
    const to = nodeOf.get(references.find((r) => r.path[0] === link.to)?.address ?? "");
    return from && to ? [{ from: from.id, to: to.id, label: link.label }] : [];
  });
}

/** The label of a reference's edge; one from a `replica` block says so ("replica encrypts with"). */
function labelOf(reference: Reference): string {
  const leaf = reference.path[reference.path.length - 1] ?? "";
  const label = LABELS[leaf] ?? leaf;
  return reference.path.length > 1 && reference.path[0] === "replica" ? `replica ${label}` : label;
}

function dedupe(edges: readonly Edge[]): Edge[] {
  const seen = new Set<string>();
  return edges.filter((edge) => {
    const key = `${edge.from}>${edge.to}>${edge.label}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function layout(regions: readonly string[], nodes: readonly Node[], edges: readonly Edge[]): string {
  const lines = ["graph TD"];
  for (const region of regions) {
    const inRegion = nodes.filter((node) => node.region === region);
    if (inRegion.length === 0) continue;
    lines.push(`    subgraph region_${region.replace(/-/g, "_")}["${region}"]`);
    for (const node of inRegion) {
      lines.push(`        ${node.id}${node.shape === "stadium" ? `(["${node.label}"])` : `["${node.label}"]`}`);
    }
    lines.push("    end");
  }
  for (const edge of edges) {
    lines.push(`    ${edge.from} ${edge.dotted ? "-.->" : "-->"}|${edge.label}| ${edge.to}`);
  }
  return lines.join("\n");
}

/** Provider references (`aws.eu_west_1`, or `aws` for the default) and their regions. */
function providerRegions(json: Json): Map<string, string> {
  const regions = new Map<string, string>();
  for (const { alias, region } of listOf(isObject(json.provider) ? json.provider.aws : undefined)) {
    if (typeof region === "string") regions.set(typeof alias === "string" ? `aws.${alias}` : "aws", region);
  }
  return regions;
}

function resources(json: Json, regionOfProvider: ReadonlyMap<string, string>): Element[] {
  const out: Element[] = [];
  for (const [type, byName] of entriesOf(json.resource)) {
    for (const [name, config] of entriesOf(byName)) {
      if (!isObject(config)) continue;
      const provider = typeof config.provider === "string" ? config.provider : "aws";
      out.push({
        address: `${type}.${name}`,
        type,
        name,
        config,
        region: regionOfProvider.get(provider) ?? "(default region)",
      });
    }
  }
  return out;
}

/** Every resource reference in a config's arguments, with the argument that holds it. */
function referencesIn(config: unknown, path: readonly string[] = []): Reference[] {
  if (typeof config === "string") {
    return expressionsIn(config).flatMap((expression) =>
      [...expression.matchAll(/(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)\.[a-z_][a-z0-9_]*/g)].map((m) => ({
        address: `${m[1]}.${m[2]}`,
        path,
      })),
    );
  }
  if (Array.isArray(config)) return config.flatMap((item) => referencesIn(item, path));
  if (isObject(config)) {
    return Object.entries(config).flatMap(([key, value]) =>
      path.length === 0 && META_ARGUMENTS.has(key) ? [] : referencesIn(value, [...path, key]),
    );
  }
  return [];
}

/** The `${...}` interpolations of a string (a `${jsonencode({...})}` whole). */
function expressionsIn(text: string): string[] {
  const expressions: string[] = [];
  let start = text.indexOf("${");
  while (start >= 0) {
    let depth = 0;
    let quoted = false;
    let end = start + 1;
    for (; end < text.length; end++) {
      const char = text[end];
      if (quoted) {
        if (char === "\\") end++;
        else if (char === '"') quoted = false;
      } else if (char === '"') quoted = true;
      else if (char === "{") depth++;
      else if (char === "}" && --depth === 0) break;
    }
    // Quoted strings inside are text, except for the interpolations they hold themselves.
    expressions.push(
      text.slice(start + 2, end).replace(/"(?:[^"\\]|\\.)*"/g, (quoted) => ` ${expressionsIn(quoted).join(" ")} `),
    );
    start = text.indexOf("${", end);
  }
  return expressions;
}

function typeOf(address: string): string {
  return address.split(".")[0];
}

function nodeId(address: string): string {
  return address.replace(/\./g, "__").replace(/[^A-Za-z0-9_]/g, "_");
}
