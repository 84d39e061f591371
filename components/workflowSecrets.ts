// The build workflow's Actions secrets, declared from the `workflowSecrets` config secret so that a
// new repository gets them from `pulumi up` instead of from someone's clipboard.
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

export interface WorkflowSecretsArgs {
  /** Repository that receives the secrets, by name; its owner is the GitHub provider's `owner`. */
  readonly repository: string;
  /**
   * Secret values by Actions secret name. Names must already satisfy GitHub's rules (see
   * `secretNameProblem`); every value is wrapped as a Pulumi secret whatever it arrives as.
   */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * `DOCKER_HUB_TOKEN` becomes `docker-hub-token`; names that differ beyond letter case (which
 * validation requires) stay distinct.
 * TODO(#3): GitHub shows secret names upper-cased; whether the provider then sees a lower-case
 * `secretName` as drift is unverified, so the docs recommend upper-case names.
 */
export function secretNameToKebab(secretName: string): string {
  return secretName.toLowerCase().replace(/_/g, "-");
}

/** One `github.ActionsSecret` per entry, in one repository. */
export class WorkflowSecrets extends pulumi.ComponentResource {
  /** The secret names declared, in the order given. */
  readonly secretNames: string[];

  constructor(name: string, args: WorkflowSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orchestrator-fleet:github:WorkflowSecrets", name, {}, opts);
    this.secretNames = Object.keys(args.secrets);

    for (const secretName of this.secretNames) {
      // `value` is the provider's current input; `plaintextValue` is deprecated. The provider
      // encrypts it with the repository's public key, and Pulumi keeps it encrypted in state.
      // https://www.pulumi.com/registry/packages/github/api-docs/actionssecret/
      new github.ActionsSecret(
        `${name}-${secretNameToKebab(secretName)}`,
        {
          repository: args.repository,
          secretName,
          value: pulumi.secret(args.secrets[secretName]),
        },
        // GitHub knows a secret only by repository and name. Should a replacement keep both (a
        // repository renamed only in letter case), create-then-delete would delete the new value.
        { parent: this, deleteBeforeReplace: true },
      );
    }

    this.registerOutputs({ secretNames: this.secretNames });
  }
}
