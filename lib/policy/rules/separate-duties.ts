import { KEY_TYPES } from "../../key-types";
import {
  ADMINISTRATIVE_ACTIONS,
  actionsOf,
  CRYPTOGRAPHIC_ACTIONS,
  DEFAULT_KEY_ADMINISTRATOR_ACTIONS,
} from "../actions";
import type { Principal } from "../document";
import { checkKeyPolicy, isOwnAccountRoot, isRootKmsStar, isWildcardPrincipal, showPrincipal } from "../key-policies";
import type { Rule, Violation } from "../rule";
import { allow, EXAMPLE_ADMIN, EXAMPLE_APP, policyDocument, ROOT_STATEMENT, stackJson } from "./examples";

const key = {
  aws_kms_key: { primary: { enable_key_rotation: true, policy: "${data.aws_iam_policy_document.key_policy.json}" } },
};
const USER_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * MRK-KMS-9: key administrators and key users are separate principals. Read-only actions
 * (Describe, Get, List) and grants belong to neither side; the account root is the IAM delegation.
 */
export const separateDutiesRule: Rule = {
  id: "MRK-KMS-9",
  level: "error",
  title: "Key administrators and key users are separate",
  explanation:
    "A principal that can both manage a key (change its policy, disable, delete, replicate it) and use it (encrypt, decrypt) can grant itself anything and cover its tracks; separating the two duties is AWS's key policy guidance (the console's administrators and users statements). A principal named in the account root's kms:* statement (the key's creator, as CloudTrail's console policy does) is MRK-KMS-8's case and is counted here only with strict.",
  fix: "give the principal either the administrators' statement or a users' statement of the key policy, not both",
  anchors: ["NIST SP 800-53 AC-5"],
  appliesTo: KEY_TYPES,
  examples: {
    compliant: stackJson({
      data: policyDocument("key_policy", [
        ROOT_STATEMENT,
        allow("Administrators", [EXAMPLE_ADMIN], DEFAULT_KEY_ADMINISTRATOR_ACTIONS),
        allow("Users", [EXAMPLE_APP], USER_ACTIONS),
      ]),
      resource: key,
    }),
    nonCompliant: stackJson({
      data: policyDocument("key_policy", [
        ROOT_STATEMENT,
        allow("Administrators", [EXAMPLE_ADMIN], DEFAULT_KEY_ADMINISTRATOR_ACTIONS),
        allow("Users", [EXAMPLE_APP, EXAMPLE_ADMIN], USER_ACTIONS),
      ]),
      resource: key,
    }),
  },
  check(key, context) {
    return checkKeyPolicy(key, context, (document) => {
      const byPrincipal = new Map<
        string,
        { principal: Principal; crypto: Set<string>; admin: Set<string>; viaRootStatement: boolean }
      >();
      for (const statement of document.statements) {
        if (statement.effect !== "Allow") continue;
        const actions = actionsOf(statement);
        const viaRootStatement = isRootKmsStar(statement, context);
        for (const principal of statement.principals ?? []) {
          if (isOwnAccountRoot(principal, context) || isWildcardPrincipal(principal)) continue;
          const id = `${principal.type}:${context.stack.principals.resolve(principal.identifier)}`;
          const entry = byPrincipal.get(id) ?? {
            principal,
            crypto: new Set<string>(),
            admin: new Set<string>(),
            viaRootStatement: false,
          };
          for (const a of actions) {
            if (CRYPTOGRAPHIC_ACTIONS.includes(a)) entry.crypto.add(a);
            if (ADMINISTRATIVE_ACTIONS.includes(a)) entry.admin.add(a);
          }
          entry.viaRootStatement ||= viaRootStatement;
          byPrincipal.set(id, entry);
        }
      }
      return [...byPrincipal.values()].flatMap(({ principal, crypto, admin, viaRootStatement }): Violation[] =>
        crypto.size > 0 && admin.size > 0
          ? [
              {
                message: `${showPrincipal(principal, context)} in ${document.origin} is both a key administrator (${list(admin)}) and a key user (${list(crypto)})`,
                strict: viaRootStatement,
              },
            ]
          : [],
      );
    });
  },
};

function list(actions: Set<string>): string {
  const all = [...actions];
  return all.length > 3 ? `${all.slice(0, 3).join(", ")} and ${all.length - 3} more` : all.join(", ");
}
