import { actionsOf, ADMINISTRATIVE_ACTIONS, CRYPTOGRAPHIC_ACTIONS } from "../actions";
import { checkKeyPolicy, isOwnAccountRoot, isWildcardPrincipal, KEY_RESOURCE_TYPES, showPrincipal } from "../key-policies";
import { Rule, Violation } from "../rule";
import { Principal } from "../document";

/**
 * MRK-KMS-9: key administrators and key users are separate principals. Read-only actions
 * (Describe, Get, List) and grants belong to neither side; the account root is the IAM delegation.
 */
export const separateDutiesRule: Rule = {
  id: "MRK-KMS-9",
  level: "error",
  title: "Key administrators and key users are separate",
  explanation:
    "A principal that can both manage a key (change its policy, disable, delete, replicate it) and use it (encrypt, decrypt) can grant itself anything and cover its tracks; separating the two duties is AWS's key policy guidance.",
  fix: "give the principal either the administrators' statement or a users' statement of the key policy, not both",
  anchors: ["NIST SP 800-53 AC-5"],
  appliesTo: KEY_RESOURCE_TYPES,
  check(key, context) {
    return checkKeyPolicy(key, context, (document) => {
      const byPrincipal = new Map<string, { principal: Principal; crypto: Set<string>; admin: Set<string> }>();
      for (const statement of document.statements) {
        if (statement.effect !== "Allow") continue;
        const actions = actionsOf(statement);
        for (const principal of statement.principals ?? []) {
          if (isOwnAccountRoot(principal, context) || isWildcardPrincipal(principal)) continue;
          const id = `${principal.type}:${context.stack.principals.resolve(principal.identifier)}`;
          const entry = byPrincipal.get(id) ?? { principal, crypto: new Set<string>(), admin: new Set<string>() };
          actions.filter((a) => CRYPTOGRAPHIC_ACTIONS.includes(a)).forEach((a) => entry.crypto.add(a));
          actions.filter((a) => ADMINISTRATIVE_ACTIONS.includes(a)).forEach((a) => entry.admin.add(a));
          byPrincipal.set(id, entry);
        }
      }
      return [...byPrincipal.values()].flatMap(({ principal, crypto, admin }): Violation[] =>
        crypto.size > 0 && admin.size > 0
          ? [
              {
                message: `${showPrincipal(principal, context)} in ${document.origin} is both a key administrator (${list(admin)}) and a key user (${list(crypto)})`,
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
