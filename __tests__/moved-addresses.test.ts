/**
 * Teams whose state uses other addresses map them to ours; the synth emits `moved` blocks.
 */
import { Testing } from "cdktf";
import { stackFromConfig } from "../lib/config-app";
import { defaultConfigObject, stackFromObject, synthJson } from "./helpers";

function withMovedFrom(movedFrom: Record<string, string>) {
  const config = defaultConfigObject();
  config.movedFrom = movedFrom;
  return config;
}

function errorOf(movedFrom: Record<string, string>): string {
  try {
    stackFromObject(withMovedFrom(movedFrom));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("accepted");
}

describe("movedFrom", () => {
  test("emits no moved block by default", () => {
    expect(synthJson(stackFromObject(defaultConfigObject()))).not.toHaveProperty("moved");
  });

  test("emits one moved block per mapped address, module addresses included", () => {
    const json = synthJson(
      stackFromObject(
        withMovedFrom({
          "aws_kms_key.main": "aws_kms_key.primary",
          'module.kms.aws_kms_replica_key.this["eu"]': "aws_kms_replica_key.eu",
        }),
      ),
    );
    expect(json.moved).toEqual([
      { from: "aws_kms_key.main", to: "aws_kms_key.primary" },
      { from: 'module.kms.aws_kms_replica_key.this["eu"]', to: "aws_kms_replica_key.eu" },
    ]);
  });

  test("refuses a malformed address in the config", () => {
    expect(() =>
      stackFromConfig(Testing.app(), withMovedFrom({ "kms key": "aws_kms_key.primary" }), "test.json"),
    ).toThrow('test.json: movedFrom["kms key"]: "kms key" must be a Terraform resource address');
  });

  test("refuses a destination the stack does not have", () => {
    expect(errorOf({ "aws_kms_key.main": "aws_kms_key.main" })).toMatch(
      /^test-config\.json: movedFrom\["aws_kms_key.main"\]: "aws_kms_key.main" is not a resource of stack global-encrypt; its resources are .*aws_kms_key.primary/,
    );
  });

  test("refuses a move between resource types", () => {
    expect(errorOf({ "aws_kms_key.eu": "aws_kms_replica_key.eu" })).toBe(
      'test-config.json: movedFrom["aws_kms_key.eu"]: "aws_kms_replica_key.eu" is a aws_kms_replica_key, but aws_kms_key.eu is a aws_kms_key; Terraform moves state only between resources of one type',
    );
  });
});
