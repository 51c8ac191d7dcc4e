/**
 * Where a stack's Terraform state is (lib/cli/stack-state.ts): a local backend's relative path
 * belongs to the folder `cdktf deploy` runs the stack in, so the state is found from the project
 * folder, wherever MRK_OUTDIR puts the HCL.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { backendOf, deployFolder, initArguments, localStateFile, stateEntry } from "../lib/cli/stack-state";
import { hclOutdir } from "../lib/cli/synth";
import { testContext } from "./cli";
import { defaultConfigObject, stackFromObject, synthJson } from "./helpers";

let project: string;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), "mrk-stack-state-"));
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

const defaultStackJson = () => synthJson(stackFromObject(defaultConfigObject()));

describe("localStateFile", () => {
  test("puts the default state in the project folder, beside cdktf.json, as cdktf deploy does", () => {
    writeFileSync(join(project, "cdktf.json"), JSON.stringify({ app: "node main.js", output: "cdktf.deploy.out" }));
    const context = testContext({ cwd: project });
    expect(deployFolder(context, "global-encrypt")).toBe(join(project, "cdktf.deploy.out", "stacks", "global-encrypt"));
    expect(localStateFile(defaultStackJson(), "global-encrypt", context)).toBe(
      join(project, "terraform.global-encrypt.tfstate"),
    );
  });

  test("without a cdktf.json, resolves against cdktf's default output, cdktf.out", () => {
    const context = testContext({ cwd: project });
    expect(deployFolder(context, "global-encrypt")).toBe(join(project, "cdktf.out", "stacks", "global-encrypt"));
    expect(localStateFile(defaultStackJson(), "global-encrypt", context)).toBe(
      join(project, "terraform.global-encrypt.tfstate"),
    );
  });

  test("does not follow MRK_OUTDIR, where the HCL's relative path leads to another file", () => {
    const context = testContext({ cwd: project, env: { MRK_OUTDIR: "review/hcl" } });
    const hclFolder = join(hclOutdir(context), "stacks", "global-encrypt");
    const { path } = (defaultStackJson().terraform.backend as { local: { path: string } }).local;
    // What Terraform would open if it ran in the HCL folder with the HCL's path as it is:
    expect(resolve(hclFolder, path)).toBe(join(project, "review", "terraform.global-encrypt.tfstate"));
    // The state the stack was deployed with:
    expect(localStateFile(defaultStackJson(), "global-encrypt", context)).toBe(
      join(project, "terraform.global-encrypt.tfstate"),
    );
  });

  test("keeps a config's own relative backend.path relative to the deploy folder, and an absolute one as it is", () => {
    const withPath = (path: string) =>
      synthJson(stackFromObject({ ...defaultConfigObject(), backend: { type: "local", path } }));
    const context = testContext({ cwd: project });
    expect(localStateFile(withPath("../../../state/keys.tfstate"), "global-encrypt", context)).toBe(
      join(project, "state", "keys.tfstate"),
    );
    expect(localStateFile(withPath("/var/lib/terraform/keys.tfstate"), "global-encrypt", context)).toBe(
      "/var/lib/terraform/keys.tfstate",
    );
  });

  test("is undefined for a remote backend, whose state does not depend on the folder", () => {
    const json = synthJson(
      stackFromObject({
        ...defaultConfigObject(),
        backend: { type: "s3", bucket: "acme-tfstate", region: "us-east-1" },
      }),
    );
    expect(backendOf(json)?.type).toBe("s3");
    expect(localStateFile(json, "global-encrypt", testContext({ cwd: project }))).toBeUndefined();
  });
});

describe("initArguments", () => {
  test("name the local state file, replacing whatever an earlier init of the folder recorded", () => {
    expect(initArguments("/p/terraform.keys.tfstate")).toEqual([
      "init",
      "-no-color",
      "-input=false",
      "-reconfigure",
      "-backend-config=path=/p/terraform.keys.tfstate",
    ]);
  });

  test("leave a remote backend's settings to the HCL", () => {
    expect(initArguments(undefined)).toEqual(["init", "-no-color", "-input=false", "-reconfigure"]);
  });
});

describe("stateEntry", () => {
  const state = {
    version: 4,
    resources: [
      {
        mode: "data",
        type: "aws_kms_key",
        name: "primary",
        instances: [{ attributes: { id: "data-source", arn: "arn:aws:kms:eu-west-1:111111111111:key/mrk-0" } }],
      },
      {
        mode: "managed",
        type: "aws_kms_key",
        name: "primary",
        provider: 'provider["registry.terraform.io/hashicorp/aws"].eu_west_1',
        instances: [{ attributes: { id: "mrk-1", arn: "arn:aws:kms:eu-west-1:111111111111:key/mrk-1" } }],
      },
    ],
  };

  test("reads a managed resource's id, ARN and the region it was last read in", () => {
    expect(stateEntry(state, "aws_kms_key", "primary")).toEqual({
      id: "mrk-1",
      arn: "arn:aws:kms:eu-west-1:111111111111:key/mrk-1",
      region: "eu-west-1",
    });
  });

  test("is undefined for a resource the state does not hold, and for no state at all", () => {
    expect(stateEntry(state, "aws_kms_key", "sessions_primary")).toBeUndefined();
    expect(stateEntry(undefined, "aws_kms_key", "primary")).toBeUndefined();
  });
});
