/**
 * Bad input in a stack config is refused before anything is synthesized, with one line per
 * problem that names the file, the field and the value.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { loadStackConfig } from "../lib/config";
import { stackFromConfig } from "../lib/config-app";
import type { Json } from "../lib/json";
import { type ConfigFileJson, defaultConfigObject } from "./helpers";

/**
 * The error message for the default config changed by `change`. A change the config's type
 * does not allow (a field of the wrong type, a field left out or misspelt) writes to the config
 * `as Json`, so that each says where it leaves the schema on purpose.
 */
function errorFor(change: (config: ConfigFileJson) => void): string {
  const config = defaultConfigObject();
  change(config);
  try {
    stackFromConfig(Testing.app(), config, "test.json");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the config was accepted");
}

const longAlias = `alias/${"a".repeat(251)}`; // 257 characters

describe("a stack config", () => {
  test("the default config is valid", () => {
    expect(() => stackFromConfig(Testing.app(), defaultConfigObject(), "test.json")).not.toThrow();
  });

  test.each<[string, (c: ConfigFileJson) => void, string]>([
    [
      "an unknown primary region",
      (c) => (c.primaryRegion = "us-east-9"),
      'test.json: primaryRegion: "us-east-9" is not an AWS region the AWS provider 5.100.0 knows (for example us-east-1, eu-west-1, ap-southeast-1)',
    ],
    [
      "an unknown replica region",
      (c) => (c.replicas[1].region = "eu-west-9"),
      'test.json: replicas[1].region: "eu-west-9" is not an AWS region the AWS provider 5.100.0 knows (for example us-east-1, eu-west-1, ap-southeast-1)',
    ],
    [
      "a duplicate replica region",
      (c) => (c.replicas[1].region = "eu-west-1"),
      'test.json: replicas[1].region: "eu-west-1" appears twice; a key has one replica per region',
    ],
    [
      "the primary region among the replicas",
      (c) => (c.replicas[0].region = "us-east-1"),
      'test.json: replicas[0].region: "us-east-1" is the primary region; a replica must be in another region',
    ],
    [
      "a replica in another partition",
      (c) => (c.replicas[1].region = "cn-north-1"),
      'test.json: replicas[1].region: "cn-north-1" is in partition aws-cn, but the primary is in aws; replicas stay in the primary\'s partition',
    ],
    ["no replicas", (c) => (c.replicas = []), "test.json: replicas: [] must name at least one replica region"],
    ["no replicas field", (c) => delete (c as Json).replicas, "test.json: replicas: is required (array)"],
    [
      "an alias without the alias/ prefix",
      (c) => (c.alias = "global-encrypt"),
      'test.json: alias: "global-encrypt" must start with "alias/"',
    ],
    [
      "an alias with a character outside [A-Za-z0-9/_-]",
      (c) => (c.alias = "alias/global encrypt!"),
      'test.json: alias: "alias/global encrypt!" may contain only letters, digits, "/", "_" and "-" after "alias/"',
    ],
    [
      "an alias over 256 characters",
      (c) => (c.alias = longAlias),
      `test.json: alias: ${JSON.stringify(longAlias).slice(0, 77)}... is longer than 256 characters`,
    ],
    [
      "an alias under alias/aws/",
      (c) => (c.alias = "alias/aws/global-encrypt"),
      'test.json: alias: "alias/aws/global-encrypt" is reserved: names under "alias/aws/" belong to AWS managed keys',
    ],
    [
      "a deletion window under 7 days",
      (c) => (c.deletionWindowInDays = 6),
      "test.json: deletionWindowInDays: 6 must be from 7 to 30 days",
    ],
    [
      "a deletion window over 30 days",
      (c) => (c.deletionWindowInDays = 31),
      "test.json: deletionWindowInDays: 31 must be from 7 to 30 days",
    ],
    [
      "a rotation period under 90 days",
      (c) => (c.rotationPeriodInDays = 89),
      "test.json: rotationPeriodInDays: 89 must be from 90 to 2560 days",
    ],
    [
      "a rotation period over 2560 days",
      (c) => (c.rotationPeriodInDays = 2561),
      "test.json: rotationPeriodInDays: 2561 must be from 90 to 2560 days",
    ],
    [
      "a rotation period with rotation turned off",
      (c) => Object.assign(c, { enableKeyRotation: false, rotationPeriodInDays: 180 }),
      "test.json: rotationPeriodInDays: 180 needs enableKeyRotation, which is false",
    ],
    [
      "a malformed account id",
      (c) => (c.accountId = "11111111111"),
      'test.json: accountId: "11111111111" must be a 12-digit AWS account id',
    ],
    [
      "an account id given as a number",
      (c) => ((c as Json).accountId = 111111111111),
      "test.json: accountId: 111111111111 must be a string",
    ],
    [
      "a malformed role ARN in a key policy",
      (c) =>
        ((c.replicas[0].keyPolicy as { users: { principals: string[] }[] }).users[0].principals = [
          "arn:aws:iam::1111:role/EUApplicationRole",
        ]),
      'test.json: replicas[0].keyPolicy.users[0].principals[0]: "arn:aws:iam::1111:role/EUApplicationRole" must be an IAM role, user or account root ARN, like arn:aws:iam::111111111111:role/Name',
    ],
    [
      "a misspelt field",
      (c) => ((c as Json).replica = c.replicas),
      'test.json: (top level): has unknown field "replica"',
    ],
    [
      "a duplicate replica name",
      (c) => (c.replicas[1].name = "eu"),
      'test.json: replicas[1].name: "eu" is the name of another replica; names must be unique',
    ],
    [
      "a replica named primary",
      (c) => (c.replicas[1].name = "primary"),
      'test.json: replicas[1].name: "primary" is reserved for the primary key',
    ],
    [
      "an unknown backend type",
      (c) => ((c as Json).backend = { type: "gcs" }),
      'test.json: backend.type: "gcs" must be one of "local", "s3", "cloud"',
    ],
    [
      "a grant to the application role without one",
      (c) => delete c.applicationRole,
      "test.json: keyPolicy.users[0].applicationRole: true needs an applicationRole section in the config",
    ],
    [
      "an application role both declared and existing",
      (c) => (c.applicationRole = { name: "global-encrypt-application", arn: "arn:aws:iam::111111111111:role/app" }),
      'test.json: applicationRole: {"name":"global-encrypt-application","arn":"arn:aws:iam::111111111111:role/app"} must be one of { "name", "trustedPrincipals"?, "trustedServices"? } (a role the stack declares), { "name", "existing": true } or { "arn" } (a role that exists)',
    ],
  ])("with %s is refused", (_, change, message) => {
    expect(errorFor(change)).toBe(message);
  });

  test("lists every problem, one line each", () => {
    const message = errorFor((c) => {
      c.primaryRegion = "mars-1";
      c.deletionWindowInDays = 3;
    });
    expect(message.split("\n")).toEqual([
      expect.stringMatching(/^test\.json: primaryRegion: "mars-1" is not an AWS region/),
      "test.json: deletionWindowInDays: 3 must be from 7 to 30 days",
    ]);
  });

  describe("file", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrk-config-"));

    test("that is not JSON is refused with the parser's position", () => {
      const path = join(dir, "broken.json");
      writeFileSync(path, '{\n  "name": "global-encrypt",\n}');
      expect(() => loadStackConfig(path)).toThrow(
        `${path}: is not valid JSON: Expected double-quoted property name in JSON at position 30 (line 3, column 1)`,
      );
    });

    test("that does not exist is refused with its path", () => {
      expect(() => loadStackConfig(join(dir, "missing.json"))).toThrow(/missing\.json: cannot be read \(ENOENT\)/);
    });
  });
});
