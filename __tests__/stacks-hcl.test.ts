/**
 * What `npm run synth` writes for our stacks: HCL that means exactly what cdktf's JSON means,
 * for every config in stacks/, and, for the default stack, the reference document's blocks.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { buildStacks } from "../lib/config-app";
import { hclToJson, normaliseForComparison, renderStackHcl } from "../lib/hcl";
import { DEFAULT_CONFIG } from "../stacks/app";
import { SEED_BLOCKS } from "./fixtures/seed";
import { ALL_CONFIGS } from "./helpers";

type Config = Record<string, Record<string, Record<string, unknown>>>;

/** Each config's stack, synthesized as npm run synth does: its JSON and its HCL. */
const rendered = (() => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "mrk-stacks-hcl-")) });
  const stacks = buildStacks(app, ALL_CONFIGS);
  app.synth();
  // The JSON the synth wrote (cdk.tf.json), which npm run synth hands to the HCL writer.
  return stacks.map((stack) => {
    const json = JSON.parse(readFileSync(join(app.outdir, app.manifest.forStack(stack).synthesizedStackPath), "utf8"));
    return { name: stack.node.id, json, hcl: renderStackHcl(stack, json) };
  });
})();

describe.each(rendered.map((r) => [r.name, r] as const))("the HCL of stack %s", (_, { json, hcl }) => {
  test("parses back to the JSON cdktf synthesizes", async () => {
    expect(normaliseForComparison(await hclToJson(hcl))).toEqual(normaliseForComparison(json));
  });

  test("has bare provider references, the hashicorp/aws source and no interpolation-only strings", () => {
    expect(hcl).not.toMatch(/provider\s*=\s*"/);
    expect(hcl).toMatch(/source\s*=\s*"hashicorp\/aws"/);
    expect(hcl).not.toMatch(/"\$\{[^"]*\}"/);
  });

  test("holds no absolute path", () => {
    expect(hcl).not.toMatch(/"\/(?!\/)/);
  });
});

describe("the default stack's HCL, block by block against the reference document", () => {
  const ours = rendered.find((r) => r.name === "global-encrypt")!;
  const seedText = readFileSync(join(__dirname, "fixtures", "seed.tf"), "utf8");
  let seed: Config;
  let mine: Config;

  beforeAll(async () => {
    seed = normaliseForComparison(await hclToJson(seedText)) as Config;
    mine = normaliseForComparison(await hclToJson(ours.hcl)) as Config;
  });

  test("the fixture holds exactly the reference document's seven blocks", () => {
    const blocks = Object.entries(seed).flatMap(([kind, byType]) =>
      Object.entries(byType).flatMap(([type, byName]) =>
        Object.keys(byName as object).map((name) => [kind, type, name]),
      ),
    );
    expect(blocks.sort()).toEqual([...SEED_BLOCKS].sort());
  });

  /**
   * Where the default stack says more than the Terraform section, and why:
   * - the EU replica carries the policy of the document's "Key Policies for Replica Keys"
   *   section, which the document applies with `aws kms put-key-policy`;
   * - the key policy data source names the primary's provider; the document leaves it on a
   *   default provider it never configures.
   */
  // Deletion protection on every key (lifecycle { prevent_destroy = true }) is ours, not the document's.
  const protectedKey = { lifecycle: { prevent_destroy: true } };
  const additions: Record<string, Record<string, unknown>> = {
    "aws_kms_key.primary": protectedKey,
    "aws_kms_replica_key.apac": protectedKey,
    "aws_kms_replica_key.eu": { policy: "${data.aws_iam_policy_document.eu_key_policy.json}", ...protectedKey },
    "aws_iam_policy_document.key_policy": { provider: "aws.us_east_1" },
  };

  test.each(SEED_BLOCKS)("%s %s.%s has the document's arguments, values and references", (kind, type, name) => {
    const theirs = seed[kind][type][name] as Record<string, unknown>;
    expect(mine[kind][type][name]).toEqual({ ...theirs, ...additions[`${type}.${name}`] });
  });

  /**
   * Read line by line, the document's Terraform section is in our HCL: each of its lines,
   * comments included, stands in ours, in the same order, its spacing aside (terraform fmt
   * aligns `=` by the lines around it, and the document's replica blocks are not fmt clean).
   * What ours adds between them is listed in docs/review-hcl.md.
   */
  test("every line of the document's blocks is in ours, in the document's order", () => {
    const normalised = (text: string) =>
      text
        .split("\n")
        .map((line) => line.trim().replace(/\s+/g, " "))
        .filter((line) => line !== "");
    // The fixture's own header comment ends at its first blank line; the document's text follows.
    const theirs = normalised(seedText.slice(seedText.indexOf("\n\n")));
    const mine = normalised(ours.hcl);
    let at = 0;
    const missing: string[] = [];
    theirs.forEach((line, i) => {
      const found = mine.indexOf(line, at);
      if (found < 0)
        missing.push(
          `document line ${i + 1}, ${JSON.stringify(line)}, after our line ${at}: ${JSON.stringify(mine[at - 1])}`,
        );
      else at = found + 1;
    });
    expect({ lines: theirs.length, missing }).toEqual({ lines: 65, missing: [] });
  });

  test("a comment line stands above each key, replica and key policy, in the document's words where it has them", () => {
    const commented = ours.hcl
      .split("\n")
      .flatMap((line, i, lines) => (line.startsWith("#") ? [`${line} / ${lines[i + 1]}`] : []));
    expect(commented).toEqual([
      '# Primary key in us-east-1 / resource "aws_kms_key" "primary" {',
      '# Replica in eu-west-1 / resource "aws_kms_replica_key" "eu" {',
      '# Replica in ap-southeast-1 / resource "aws_kms_replica_key" "apac" {',
      '# Key policy / data "aws_iam_policy_document" "key_policy" {',
      '# Key policy of the replica in eu-west-1 / data "aws_iam_policy_document" "eu_key_policy" {',
    ]);
  });

  test("the document's own HCL is the default stack's, as the source of truth", () => {
    expect(ours.hcl).toContain(
      [
        'resource "aws_kms_alias" "eu" {',
        "  provider = aws.eu_west_1",
        "",
        '  name          = "alias/global-encrypt"',
        "  target_key_id = aws_kms_replica_key.eu.key_id",
        "}",
      ].join("\n"),
    );
  });
});

test("the default config is what the synth renders as global-encrypt", () => {
  expect(JSON.parse(readFileSync(DEFAULT_CONFIG, "utf8")).name).toBe("global-encrypt");
});
