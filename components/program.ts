// The program behind index.ts: validate the stack's config, then declare the site. Kept out of
// index.ts so tests and the benchmark can run it under mocks with any config.
import type { FleetConfig } from "./config";
import { imageReference, parseFleetConfig } from "./config";
import { GithubSide } from "./githubSide";
import type { PulumiConfigInput } from "./pulumiConfig";
import { Site } from "./site";

export interface ProgramOptions {
  /** @default true */
  readonly clearStaleContainers?: boolean;
}

export interface Program {
  readonly config: FleetConfig;
  readonly site: Site;
  /** The GitHub side, when the stack declares `github`. */
  readonly github?: GithubSide;
}

export function declareProgram(input: PulumiConfigInput, options: ProgramOptions = {}): Program {
  // Throws before any resource exists when the config is invalid.
  const config = parseFleetConfig(input.raw);
  const registryToken = input.secrets.registryToken;
  const site = new Site(config.site, {
    config,
    registryCredentials:
      input.registryUser && registryToken
        ? { username: input.registryUser, password: registryToken }
        : undefined,
    sshPrivateKey: input.secrets.sshPrivateKey,
    notificationUrl: input.secrets.notificationUrl,
    clearStaleContainers: options.clearStaleContainers,
  });
  const github =
    config.github &&
    new GithubSide("github", {
      config: config.github,
      imageName: imageReference(config.image),
      workflowSecrets: input.workflowSecrets,
      token: input.githubToken,
    });
  return { config, site, github };
}
