/**
 * A maintained IAM evaluator, @cloud-copilot/iam-simulate, asked the questions our access
 * evaluator answers: may this principal call this action on a key with this key policy? Its
 * answer is put in our evaluator's terms:
 * - `deny`: an explicit Deny of the key policy;
 * - `allow`: the key policy alone allows it (the simulator allows it with no identity policy);
 * - `via-iam`: it is allowed only once the principal's IAM policies allow it (the simulator
 *   allows it with an identity policy that allows everything, and not without);
 * - `none`: not even then.
 * An account's root user has every permission of its account, so it is always asked with the
 * identity policy that allows everything.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";

/** The account of the keys asked about. */
export const KEY_ACCOUNT = "111111111111";

export type SimulatedDecision = "allow" | "via-iam" | "deny" | "none";

export interface KeyRequest {
  readonly principal: string;
  readonly action: string;
  readonly region: string;
  /** The whole request context: the simulator derives nothing from the principal. */
  readonly context: Record<string, string | string[]>;
}

const ALLOW_EVERYTHING = {
  name: "AllowEverything",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

export function keyArn(region: string, account = KEY_ACCOUNT): string {
  return `arn:aws:kms:${region}:${account}:key/mrk-1234567890abcdef1234567890abcdef`;
}

async function simulate(policy: object, request: KeyRequest, identity: boolean): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: keyArn(request.region), accountId: KEY_ACCOUNT },
        contextVariables: request.context,
      },
      identityPolicies: identity ? [ALLOW_EVERYTHING] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    {},
  );
  if (result.resultType === "error") {
    throw new Error(
      `iam-simulate refused the question: ${JSON.stringify(result.errors)}\npolicy: ${JSON.stringify(policy)}\nrequest: ${JSON.stringify(request)}`,
    );
  }
  return result.overallResult;
}

/** The simulator's decision on a key policy (JSON) and a request. */
export async function simulateKeyPolicy(policy: object, request: KeyRequest): Promise<SimulatedDecision> {
  const isRoot = /^arn:aws[\w-]*:iam::\d{12}:root$/.test(request.principal);
  const keyPolicyAlone = isRoot ? undefined : await simulate(policy, request, false);
  if (keyPolicyAlone === "ExplicitlyDenied") return "deny";
  if (keyPolicyAlone === "Allowed") return "allow";
  const withIam = await simulate(policy, request, true);
  if (withIam === "ExplicitlyDenied") return "deny";
  if (withIam === "Allowed") return isRoot ? "allow" : "via-iam";
  return "none";
}
