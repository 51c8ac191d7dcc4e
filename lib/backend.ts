import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from "cdktf";

/**
 * State on the local disk. The path is relative to the folder Terraform runs in; both
 * `cdktf.out/stacks/<stack>` (the HCL of `npm run synth`) and `cdktf.deploy.out/stacks/<stack>`
 * (what `cdktf deploy` runs) are three levels below the project, so the default path puts the
 * state of both in one file in the project root.
 */
export interface LocalBackendConfig {
  /** `local`: state on the local disk. */
  readonly type: "local";
  /**
   * The state file, relative to the folder Terraform runs in (`cdktf.out/stacks/<stack>`).
   * @default "../../../terraform.<stack>.tfstate"
   */
  readonly path?: string;
}

/** State in S3, locked with an S3 lock file (Terraform 1.10+) or a DynamoDB table. */
export interface S3BackendConfig {
  /** `s3`: state in an S3 bucket. */
  readonly type: "s3";
  /** The state bucket. */
  readonly bucket: string;
  /**
   * The state object's key in the bucket.
   * @default "<stack>/terraform.tfstate"
   */
  readonly key?: string;
  /** The bucket's region. */
  readonly region: string;
  /**
   * Locks state with a DynamoDB table instead of an S3 lock file.
   * @default none: the S3 lock file (`use_lockfile = true`)
   */
  readonly dynamodbTable?: string;
}

/** State in HCP Terraform (or Terraform Enterprise), in one named workspace. */
export interface CloudBackendConfig {
  /** `cloud`: state in HCP Terraform or Terraform Enterprise. */
  readonly type: "cloud";
  /** The HCP Terraform organization. */
  readonly organization: string;
  /**
   * The workspace.
   * @default the stack's name
   */
  readonly workspace?: string;
  /**
   * The host, for Terraform Enterprise.
   * @default "app.terraform.io"
   */
  readonly hostname?: string;
}

export type BackendConfig = LocalBackendConfig | S3BackendConfig | CloudBackendConfig;

/** Where `path` of the default local backend points for a stack. */
export function defaultLocalStatePath(stackName: string): string {
  return `../../../terraform.${stackName}.tfstate`;
}

/** Declares the stack's backend. Never writes an absolute path. */
export function addBackend(stack: TerraformStack, stackName: string, config: BackendConfig): void {
  switch (config.type) {
    case "local":
      new LocalBackend(stack, { path: config.path ?? defaultLocalStatePath(stackName) });
      return;
    case "s3":
      new S3Backend(stack, {
        bucket: config.bucket,
        key: config.key ?? `${stackName}/terraform.tfstate`,
        region: config.region,
        encrypt: true,
        dynamodbTable: config.dynamodbTable,
      });
      if (config.dynamodbTable === undefined) {
        // cdktf 0.21's S3Backend predates Terraform 1.10's native S3 locking.
        stack.addOverride("terraform.backend.s3.use_lockfile", true);
      }
      return;
    case "cloud":
      new CloudBackend(stack, {
        organization: config.organization,
        hostname: config.hostname,
        workspaces: new NamedCloudWorkspace(config.workspace ?? stackName),
      });
      return;
  }
}
