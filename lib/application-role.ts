import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { checkProp, principalArnSchema, roleNameSchema } from "./validation";

export interface ApplicationRoleProps {
  /** The IAM role's name, e.g. `global-encrypt-application`. */
  readonly roleName: string;
  /** Principals allowed to assume the role (IAM ARNs). */
  readonly trustedPrincipals: readonly string[];
  /** The provider to declare the role with (IAM is global; the primary region's is customary). */
  readonly provider: TerraformProvider;
}

/**
 * The IAM role of the application that uses the key: `aws_iam_role.<id>`, as the reference
 * document's key policy names it (`aws_iam_role.application.arn`), with its trust policy
 * as `data.aws_iam_policy_document.<id>_assume_role`.
 */
export class ApplicationRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ApplicationRoleProps) {
    super(scope, id);
    checkProp(roleNameSchema, props.roleName, "ApplicationRole roleName");
    props.trustedPrincipals.forEach((arn, i) =>
      checkProp(principalArnSchema, arn, `ApplicationRole trustedPrincipals[${i}]`),
    );

    const trust = new DataAwsIamPolicyDocument(this, "assume-role", {
      provider: props.provider,
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [...props.trustedPrincipals] }],
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
  }

  /** The role's ARN (a token). */
  get arn(): string {
    return this.role.arn;
  }
}
