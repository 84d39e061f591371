// Everything this program declares on GitHub for one `github` block: the package visibility check,
// the workflow's Actions secrets and the build-and-push workflow itself.
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

import type { PackageVisibilityLevel } from "./ghcrPackage";
import type { GithubConfig } from "./githubConfig";
import type { PackageVisibilityStatus } from "./packageVisibility";

import { BuildWorkflow } from "./buildWorkflow";
import { ghcrRepository } from "./ghcrPackage";
import { imageProblems } from "./githubImage";
import { PackageVisibility } from "./packageVisibility";
import { WorkflowSecrets } from "./workflowSecrets";

export interface GithubSideArgs {
  /** The validated `github` block, as `parseGithubConfig` returns it. */
  readonly config: GithubConfig;
  /**
   * The `workflowSecrets` config secret. It must hold every name in `config.workflowSecretNames`,
   * and is required when that list is not empty.
   */
  readonly workflowSecrets?: pulumi.Output<Record<string, string>>;
  /**
   * The image the sites run, `ghcr.io/<owner>/<name>` with an optional tag, or just `<name>`. It
   * must name the package the workflow pushes; a mismatch is a wiring mistake and fails early.
   */
  readonly imageName: string;
  /**
   * Token for the GitHub provider this component creates for `config.owner`; pass `github:token`
   * here when the stack sets it.
   * @default the provider's own lookup, starting with the GITHUB_TOKEN environment variable
   */
  readonly token?: pulumi.Input<string>;
}

export class GithubSide extends pulumi.ComponentResource {
  /** Where sites pull the image from, without a tag, e.g. `ghcr.io/acme/autonomy-orchestrator`. */
  readonly imageRepository: string;
  /** The visibility GitHub reports; undefined until the first push creates the package. */
  readonly packageVisibility: pulumi.Output<PackageVisibilityLevel | undefined>;
  readonly packageStatus: pulumi.Output<PackageVisibilityStatus>;
  /** The page where a person changes the package's visibility. */
  readonly packageSettingsUrl: string;
  /** True when site stacks need `registryUser`/`registryToken` to pull the image. */
  readonly sitesNeedRegistryCredentials: pulumi.Output<boolean>;
  /** One sentence on what the site stacks need to pull the image. */
  readonly registryCredentials: pulumi.Output<string>;
  /** The Actions secrets declared in the repository, by name. */
  readonly workflowSecretNames: readonly string[];
  /** The workflow file's path, when `manageWorkflow` is on. */
  readonly workflowPath?: string;
  /** The commit that last wrote the workflow file, when `manageWorkflow` is on. */
  readonly workflowCommitSha?: pulumi.Output<string>;

  constructor(name: string, args: GithubSideArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orchestrator-fleet:github:GithubSide", name, {}, opts);
    const { config } = args;
    const wiring = imageProblems(args.imageName, config.owner, config.packageName);
    if (wiring.length > 0) {
      const details = wiring.map((problem) => `${problem.path} ${problem.message}`).join("; ");
      throw new pulumi.ResourceError(
        `The github block does not match the image the sites run: ${details}. Pass ` +
          "parseGithubConfig the same imageName to report this with the other config problems.",
        this,
      );
    }
    if (config.workflowSecretNames.length > 0 && args.workflowSecrets === undefined) {
      throw new pulumi.ResourceError(
        `config.workflowSecretNames lists ${config.workflowSecretNames.join(", ")}, but no ` +
          "workflowSecrets values were passed; pass the workflowSecrets config secret",
        this,
      );
    }
    this.imageRepository = ghcrRepository(config.owner, config.packageName);

    // Repository-scoped resources go to the provider's `owner`; an explicit provider makes that
    // config.owner instead of whatever the ambient provider config happens to say.
    const provider = new github.Provider(
      `${name}-provider`,
      { owner: config.owner, token: args.token },
      { parent: this },
    );
    const childOpts = { parent: this, providers: [provider] };

    const pkg = new PackageVisibility(
      `${name}-package`,
      {
        owner: config.owner,
        ownerType: config.ownerType,
        packageName: config.packageName,
        visibility: config.packageVisibility,
      },
      childOpts,
    );
    this.packageVisibility = pkg.visibility;
    this.packageStatus = pkg.status;
    this.packageSettingsUrl = pkg.settingsUrl;
    this.sitesNeedRegistryCredentials = pkg.sitesNeedRegistryCredentials;
    this.registryCredentials = pkg.registryCredentials;

    const values = args.workflowSecrets;
    this.workflowSecretNames = [];
    if (values !== undefined && config.workflowSecretNames.length > 0) {
      const secrets: Record<string, pulumi.Output<string>> = {};
      for (const secretName of config.workflowSecretNames) {
        secrets[secretName] = values.apply((all) => {
          const value = all[secretName];
          if (typeof value !== "string") {
            throw new pulumi.ResourceError(
              `workflowSecrets.${secretName} has no string value; set it with ` +
                `pulumi config set --secret --path 'workflowSecrets.${secretName}' VALUE`,
              this,
            );
          }
          return value;
        });
      }
      const workflowSecrets = new WorkflowSecrets(
        `${name}-secrets`,
        { repository: config.repository, secrets },
        childOpts,
      );
      this.workflowSecretNames = workflowSecrets.secretNames;
    }

    if (config.manageWorkflow) {
      const workflow = new BuildWorkflow(`${name}-workflow`, { config }, childOpts);
      this.workflowPath = workflow.path;
      this.workflowCommitSha = workflow.commitSha;
    }

    this.registerOutputs({
      imageRepository: this.imageRepository,
      packageVisibility: this.packageVisibility,
      packageStatus: this.packageStatus,
      packageSettingsUrl: this.packageSettingsUrl,
      sitesNeedRegistryCredentials: this.sitesNeedRegistryCredentials,
      registryCredentials: this.registryCredentials,
      workflowSecretNames: this.workflowSecretNames,
      workflowPath: this.workflowPath,
      workflowCommitSha: this.workflowCommitSha,
    });
  }
}
