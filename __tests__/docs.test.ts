/**
 * The generated docs say what the code says: RULES.md (the rule pack), docs/config-reference.md
 * (the config schema and the constructs' props) and the code snippets of README.md and docs/
 * (the example files the examples test runs). `npm run docs` writes them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { renderConfigReference } from "../scripts/config-reference";
import { generatedDocs } from "../scripts/docs";
import { DOCS_COMMAND } from "../scripts/markdown";
import { refreshSnippets } from "../scripts/snippets";

const ROOT = join(__dirname, "..");

describe("the generated docs in the repository", () => {
  test.each(generatedDocs().map((doc) => [doc.path, doc] as const))("%s is current", (path, doc) => {
    const committed = readFileSync(join(ROOT, path), "utf8");
    // Compared as one value with the command, so that a stale file says how to write it again.
    expect({ stale: committed !== doc.render(), regenerateWith: DOCS_COMMAND }).toEqual({
      stale: false,
      regenerateWith: DOCS_COMMAND,
    });
  });

  test("include the config reference and the pages with snippets", () => {
    const paths = generatedDocs().map((doc) => doc.path);
    expect(paths).toEqual(expect.arrayContaining(["RULES.md", "docs/config-reference.md", "README.md"]));
  });
});

describe("the config reference", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mrk-config-reference-"));
    writeFileSync(
      join(dir, "thing.ts"),
      [
        "export interface ThingProps {",
        "  /** Where the thing is. */",
        "  readonly region: string;",
        "  /**",
        "   * How many there are,",
        "   * on two lines.",
        "   * @default 3",
        "   */",
        "  readonly count?: number;",
        "  /** The thing's label. @default the region */",
        "  readonly label?: string;",
        "}",
      ].join("\n"),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A config schema in the two forms, whose key entries have `keyFields`. */
  function schemas(keyFields: Record<string, z.ZodType>) {
    const stackFields = { name: z.string().meta({ description: "The stack's name." }) };
    return {
      oneKey: z.strictObject({ ...stackFields, ...keyFields }),
      keyList: z.strictObject({
        ...stackFields,
        keys: z
          .array(
            z
              .strictObject({ name: z.string().meta({ description: "The key's name." }), ...keyFields })
              .meta({ title: "Key", props: "ThingProps" }),
          )
          .meta({ description: "The keys." }),
      }),
    };
  }

  const render = (keyFields: Record<string, z.ZodType>) =>
    renderConfigReference({ schemas: schemas(keyFields), propsDir: dir });
  const rowOf = (page: string, field: string) => page.split("\n").find((line) => line.startsWith(`| \`${field}\` |`));

  test("takes a field's meaning and default from the JSDoc of the prop it maps to", () => {
    const page = render({ region: z.string(), count: z.number().optional() });
    expect(rowOf(page, "region")).toBe("| `region` | string | yes |  | Where the thing is. |");
    expect(rowOf(page, "count")).toBe("| `count` | number | no | `3` | How many there are, on two lines. |");
  });

  test("finds a prop of another name through the field's meta", () => {
    const page = render({ where: z.string().meta({ prop: "region" }) });
    expect(rowOf(page, "where")).toBe("| `where` | string | yes |  | Where the thing is. |");
  });

  test("takes a default the config fills in over the prop's", () => {
    const page = render({ label: z.string().optional().meta({ defaultText: "the stack's name" }) });
    expect(rowOf(page, "label")).toBe("| `label` | string | no | the stack's name | The thing's label. |");
  });

  test("takes a field only the config has from its description, and its default from the schema", () => {
    const page = render({
      region: z.string(),
      colour: z.enum(["red", "blue"]).default("red").meta({ description: "Its colour." }),
    });
    expect(rowOf(page, "colour")).toBe('| `colour` | `"red"` or `"blue"` | no | `"red"` | Its colour. |');
  });

  test("refuses a field that nothing documents, naming it", () => {
    expect(() => render({ region: z.string(), colour: z.string() })).toThrow("Key colour: ");
    expect(() => render({ region: z.string(), colour: z.string() })).toThrow("ThingProps has no member colour");
  });

  test("refuses a field documented both by a description and a prop", () => {
    expect(() => render({ region: z.string().meta({ prop: "region", description: "Again." }) })).toThrow(
      "write its meaning once",
    );
  });

  test("refuses a schema default that is not the prop's @default", () => {
    expect(() => render({ region: z.string(), count: z.number().default(4) })).toThrow(
      "the schema's default 4 is not the documented 3",
    );
  });

  test("gives every object a section of its own, linked from the fields that hold it", () => {
    const spot = z.strictObject({ region: z.string() }).meta({ title: "Spot", props: "ThingProps" });
    const page = render({
      region: z.string(),
      home: spot.meta({ description: "Its home." }),
      visits: z.array(spot).optional().meta({ description: "Places visited." }),
    });
    expect(rowOf(page, "home")).toBe("| `home` | [Spot](#spot) | yes |  | Its home. |");
    expect(rowOf(page, "visits")).toBe("| `visits` | list of [Spot](#spot) | no | none | Places visited. |");
    expect(page).toContain("## Spot\n\nIn: [Key](#key) `home`, [Key](#key) `visits[]`.\n");
  });

  test("lists the values of the package's constants that a default names", () => {
    writeFileSync(
      join(dir, "thing.ts"),
      "export interface ThingProps {\n  /** Who may use it. @default KEY_USER_ACTIONS */\n  readonly actions?: string[];\n}\n",
    );
    const page = render({ actions: z.array(z.string()).optional() });
    expect(rowOf(page, "actions")).toBe(
      "| `actions` | list of string | no | [`KEY_USER_ACTIONS`](#key_user_actions) | Who may use it. |",
    );
    expect(page).toContain("### `KEY_USER_ACTIONS`\n\n`kms:Encrypt`, `kms:Decrypt`");
  });
});

describe("snippets", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mrk-snippets-"));
    writeFileSync(
      join(dir, "app.ts"),
      [
        "import x from 'x';",
        "",
        "function main() {",
        "  // #region keys",
        "  const a = 1;",
        "  // #region inner",
        "  const b = 2;",
        "  // #endregion inner",
        "",
        "  const c = 3;",
        "  // #endregion keys",
        "}",
      ].join("\n"),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const page = (ref: string, inside = "old\n") =>
    `Before.\n\n<!-- snippet: ${ref} -->\n${inside}<!-- /snippet -->\n\nAfter.\n`;

  test("writes a region of a file between the markers, without its marker lines and indentation", () => {
    expect(refreshSnippets(page("app.ts#keys"), "page.md", dir)).toBe(
      page("app.ts#keys", "```ts\nconst a = 1;\nconst b = 2;\n\nconst c = 3;\n```\n"),
    );
  });

  test("writes a whole file when no region is named", () => {
    writeFileSync(join(dir, "keys.json"), '{ "name": "x" }\n');
    expect(refreshSnippets(page("keys.json"), "page.md", dir)).toBe(
      page("keys.json", '```json\n{ "name": "x" }\n```\n'),
    );
  });

  test("leaves a current page as it is", () => {
    const current = refreshSnippets(page("app.ts#inner"), "page.md", dir);
    expect(refreshSnippets(current, "page.md", dir)).toBe(current);
  });

  test("leaves markers inside a fenced code block as they are", () => {
    const text = "```text\n<!-- snippet: app.ts#keys -->\n<!-- /snippet -->\n```\n";
    expect(refreshSnippets(text, "page.md", dir)).toBe(text);
  });

  test("refuses a region or a file that does not exist, naming the page", () => {
    expect(() => refreshSnippets(page("app.ts#nowhere"), "page.md", dir)).toThrow(
      'page.md: snippet app.ts#nowhere: the file has no lines between "// #region nowhere"',
    );
    expect(() => refreshSnippets(page("gone.ts"), "page.md", dir)).toThrow("page.md: snippet gone.ts: no such file");
    expect(() => refreshSnippets("<!-- snippet: app.ts#keys -->\nold\n", "page.md", dir)).toThrow(
      'page.md: snippet app.ts#keys: has no "<!-- /snippet -->" after it',
    );
  });
});
