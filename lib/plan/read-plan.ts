/**
 * Reading a `terraform show -json <planfile>` document, with a one-line error for anything
 * else: the binary plan itself, a state file, `terraform show -json` without a plan.
 */
import { readFileSync } from "node:fs";
import { isObject } from "../json";
import { InvalidInputError } from "../validation";
import type { TerraformPlan } from "./types";

/** Parses the JSON text of a plan; `source` names it in errors (a path, or "stdin"). */
export function parsePlan(text: string, source: string): TerraformPlan {
  if (text.startsWith("PK")) {
    throw new InvalidInputError(
      `${source}: is a binary plan file; give its JSON: terraform show -json ${source} > plan.json`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      `${source}: is not JSON (${(error as Error).message}); give the output of terraform show -json <planfile>`,
    );
  }
  if (!isObject(parsed) || typeof parsed.format_version !== "string") {
    throw new InvalidInputError(`${source}: has no format_version; give the output of terraform show -json <planfile>`);
  }
  if (!parsed.format_version.startsWith("1.")) {
    throw new InvalidInputError(
      `${source}: format_version ${JSON.stringify(parsed.format_version)} is not one mrk reads (1.x, Terraform 1.0 and later)`,
    );
  }
  if (!("planned_values" in parsed) && !("resource_changes" in parsed)) {
    throw new InvalidInputError(
      `${source}: is not a plan (it has no planned_values), perhaps a state; give the output of terraform show -json <planfile>`,
    );
  }
  return parsed as unknown as TerraformPlan;
}

/** Reads and parses a plan JSON file. */
export function readPlanFile(path: string, shownAs: string = path): TerraformPlan {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InvalidInputError(
      `${shownAs}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parsePlan(text, shownAs);
}
