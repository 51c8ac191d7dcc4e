import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsIamRole } from "@cdktf/provider-aws/lib/data-aws-iam-role";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import {
  checkProp,
  InvalidInputError,
  principalArnSchema,
  roleArnSchema,
  roleNameSchema,
  servicePrincipalSchema,
} from "./validation";

/** The IAM role of the application that uses the key, declared here or elsewhere. */
export interface ApplicationRoleReference {
  /** The role's ARN (a token when the stack declares or looks up the role). */
  readonly arn: string;
}

export interface ApplicationRoleProps {
  /** The IAM role's name, e.g. `global-encrypt-application`. */
  readonly roleName: string;
  /**
   * IAM principals allowed to assume the role (account roots, roles, users).
   * @default none (give trustedServices)
   */
  readonly trustedPrincipals?: readonly string[];
  /**
   * AWS services allowed to assume the role, e.g. `ec2.amazonaws.com`, `lambda.amazonaws.com`,
   * `ecs-tasks.amazonaws.com`: where the application runs.
   * @default none (give trustedPrincipals)
   */
  readonly trustedServices?: readonly string[];
  /** The provider to declare the role with (IAM is global; the primary region's is customary). */
  readonly provider: TerraformProvider;
}

/**
 * The IAM role of the application that uses the key: `aws_iam_role.<id>`, as the reference
 * document's key policy names it (`aws_iam_role.application.arn`), with its trust policy
 * as `data.aws_iam_policy_document.<id>_assume_role`: one statement that lets the trusted
 * principals and services call `sts:AssumeRole`.
 *
 * A role that exists already, managed elsewhere, is referred to instead: `fromRoleArn` (no
 * look-up) or `fromRoleName` (`data "aws_iam_role"`), and the stack never changes it.
 */
export class ApplicationRole extends Construct implements ApplicationRoleReference {
  readonly role: IamRole;
  /** The role's ARN (a token): one token, however many key policies name it. */
  readonly arn: string;

  /** A role that exists already, by its ARN. Nothing is declared. */
  static fromRoleArn(arn: string): ApplicationRoleReference {
    checkProp(roleArnSchema, arn, "ApplicationRole.fromRoleArn arn");
    return { arn };
  }

  /** A role that exists already, looked up by name: `data.aws_iam_role.<id>`. */
  static fromRoleName(
    scope: Construct,
    id: string,
    roleName: string,
    provider: TerraformProvider,
  ): ApplicationRoleReference {
    checkProp(roleNameSchema, roleName, "ApplicationRole.fromRoleName roleName");
    const role = new DataAwsIamRole(scope, id, { provider, name: roleName });
    role.overrideLogicalId(id);
    return { arn: role.arn };
  }

  constructor(scope: Construct, id: string, props: ApplicationRoleProps) {
    super(scope, id);
    checkProp(roleNameSchema, props.roleName, "ApplicationRole roleName");
    const principals = props.trustedPrincipals ?? [];
    const services = props.trustedServices ?? [];
    for (const [i, arn] of principals.entries())
      checkProp(principalArnSchema, arn, `ApplicationRole trustedPrincipals[${i}]`);
    for (const [i, name] of services.entries())
      checkProp(servicePrincipalSchema, name, `ApplicationRole trustedServices[${i}]`);
    if (principals.length === 0 && services.length === 0) {
      throw new InvalidInputError(
        "ApplicationRole trustedPrincipals: [] and trustedServices: [] leave nobody able to assume the role; name at least one",
      );
    }

    const trust = new DataAwsIamPolicyDocument(this, "assume-role", {
      provider: props.provider,
      statement: [
        {
          effect: "Allow",
          principals: [
            ...(principals.length > 0 ? [{ type: "AWS", identifiers: [...principals] }] : []),
            ...(services.length > 0 ? [{ type: "Service", identifiers: [...services] }] : []),
          ],
          actions: ["sts:AssumeRole"],
        },
      ],
    });
    trust.overrideLogicalId(`${id}_assume_role`);

    this.role = new IamRole(this, "role", {
      provider: props.provider,
      name: props.roleName,
      assumeRolePolicy: trust.json,
    });
    this.role.overrideLogicalId(id);
    // cdktf makes a new token at every read of an attribute; one token lets key policies that
    // name the role compare equal, and share one document.
    this.arn = this.role.arn;
  }
}
