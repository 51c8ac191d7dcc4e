/**
 * A config file's text is refused, one line per problem naming the file and the field, for what
 * JSON.parse would let through silently or report unclearly: a byte-order mark, text that is
 * not UTF-8, a key given twice in one object, control and bidirectional characters in strings.
 * The same characters are refused in the construct props that end up in resource arguments.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { stackFromConfig } from "../lib/config-app";
import { readConfigJson } from "../lib/config-file";
import { MultiRegionKey } from "../lib/multi-region-key";
import { RegionProviders } from "../lib/region-providers";
import { defaultConfigObject } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "mrk-config-file-"));

/** The default config as `JSON.stringify(config, null, 2)` writes it: `"name"` on line 2, then `"accountId"`, `"primaryRegion"`... */
const defaultText = () => JSON.stringify(defaultConfigObject(), null, 2);

/** Writes a config file and returns its path. */
function configFile(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The message a config file's stack is refused with, as `npm run synth` builds it (its shape, then the constructs' checks). */
function refusal(path: string): string {
  try {
    stackFromConfig(Testing.app(), readConfigJson(path), path);
  } catch (error) {
    return (error as Error).message;
  }
  return "(accepted)";
}

/** The text with `find` replaced once; throws when `find` is not there, so that a test cannot pass on a change not made. */
function edited(text: string, find: string, replacement: string): string {
  if (!text.includes(find)) throw new Error(`the config text has no ${find}`);
  return text.replace(find, replacement);
}

describe("a config file's text", () => {
  test("the default config, written out, is accepted", () => {
    expect(refusal(configFile("default.json", defaultText()))).toBe("(accepted)");
  });

  test("a key given twice at the top level", () => {
    const path = configFile(
      "twice.json",
      edited(defaultText(), '"name": "global-encrypt",', '"name": "global-encrypt",\n  "primaryRegion": "eu-west-1",'),
    );
    expect(refusal(path)).toBe(
      `${path}: primaryRegion: is given twice in one object (lines 3 and 5); JSON keeps only the last one, so keep one`,
    );
  });

  test("a key given twice in a replica", () => {
    const path = configFile(
      "replica-twice.json",
      edited(
        defaultText(),
        '"region": "ap-southeast-1",',
        '"region": "ap-southeast-1",\n      "region": "ap-northeast-1",',
      ),
    );
    const line =
      defaultText()
        .split("\n")
        .findIndex((l) => l.includes('"region": "ap-southeast-1"')) + 1;
    expect(refusal(path)).toBe(
      `${path}: replicas[1].region: is given twice in one object (lines ${line} and ${line + 1}); JSON keeps only the last one, so keep one`,
    );
  });

  test("a UTF-8 byte-order mark", () => {
    const path = configFile("bom.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(defaultText())]));
    expect(refusal(path)).toBe(
      `${path}: starts with a UTF-8 byte-order mark (EF BB BF); save it as UTF-8 without a byte-order mark`,
    );
  });

  test("UTF-16 text", () => {
    const path = configFile("utf16.json", Buffer.from(`\ufeff${defaultText()}`, "utf16le"));
    expect(refusal(path)).toBe(
      `${path}: is UTF-16 (byte-order mark FF FE); save it as UTF-8 without a byte-order mark`,
    );
  });

  test("Latin-1 text (not UTF-8)", () => {
    const path = configFile(
      "latin1.json",
      Buffer.from(edited(defaultText(), "Global encryption key - EU replica", "Clé de chiffrement - EU"), "latin1"),
    );
    const line =
      defaultText()
        .split("\n")
        .findIndex((l) => l.includes("Global encryption key - EU replica")) + 1;
    expect(refusal(path)).toBe(`${path}: is not UTF-8 text (line ${line}); save it as UTF-8`);
  });

  test("a right-to-left override in a description", () => {
    const path = configFile(
      "bidi.json",
      edited(
        defaultText(),
        '"description": "Multi-region key for global encryption"',
        '"description": "Multi-region key \\u202enoitpyrcne\\u202c"',
      ),
    );
    expect(refusal(path)).toBe(
      `${path}: description: "Multi-region key \\u202enoitpyrcne\\u202c" contains U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control character that makes text display in another order than it is stored; remove it`,
    );
  });

  test("a control character in a replica's tag value", () => {
    const path = configFile(
      "bell.json",
      edited(defaultText(), '"enabled": true,', '"enabled": true,\n      "tags": { "team": "eu\\u0007ops" },'),
    );
    expect(refusal(path)).toBe(
      `${path}: replicas[0].tags.team: "eu\\u0007ops" contains U+0007, a control character; remove it`,
    );
  });

  test("a bidirectional isolate in a tag key (a field name)", () => {
    const path = configFile(
      "bidi-key.json",
      edited(
        defaultText(),
        '"enableKeyRotation": true,',
        '"enableKeyRotation": true,\n  "tags": { "cost\\u2066center": "42" },',
      ),
    );
    expect(refusal(path)).toBe(
      `${path}: tags: the field name "cost\\u2066center" contains U+2066 LEFT-TO-RIGHT ISOLATE, a bidirectional control character that makes text display in another order than it is stored; remove it`,
    );
  });

  test("a zero width space in the alias", () => {
    const path = configFile(
      "zwsp.json",
      edited(defaultText(), '"alias": "alias/global-encrypt"', '"alias": "alias/global\\u200b-encrypt"'),
    );
    expect(refusal(path)).toBe(
      `${path}: alias: "alias/global\\u200b-encrypt" contains U+200B ZERO WIDTH SPACE, an invisible character; remove it`,
    );
  });

  test("a tag key starting with aws:", () => {
    const path = configFile(
      "aws-tag.json",
      edited(
        defaultText(),
        '"enableKeyRotation": true,',
        '"enableKeyRotation": true,\n  "tags": { "aws:cloudformation:stack-name": "keys" },',
      ),
    );
    expect(refusal(path)).toBe(
      `${path}: tags["aws:cloudformation:stack-name"]: "aws:cloudformation:stack-name" starts with "aws:", a prefix AWS reserves for its own tags`,
    );
  });
});

describe("the same rules for construct props", () => {
  const key = (props: { description?: string; tags?: Record<string, string> }) => () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const providers = new RegionProviders(stack, "providers", { regions: ["us-east-1", "eu-west-1"] });
    new MultiRegionKey(stack, "key", {
      providers,
      primaryRegion: "us-east-1",
      aliasName: "alias/k",
      replicas: [{ region: "eu-west-1" }],
      ...props,
    });
  };

  test("a right-to-left override in a description", () => {
    expect(key({ description: "key \u202eevil" })).toThrow(
      'MultiRegionKey description: "key \\u202eevil" contains U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control character that makes text display in another order than it is stored; remove it',
    );
  });

  test("a tag key starting with AWS: in any case", () => {
    expect(key({ tags: { "AWS:team": "x" } })).toThrow(
      'MultiRegionKey tags["AWS:team"]: "AWS:team" starts with "aws:", a prefix AWS reserves for its own tags',
    );
  });
});
