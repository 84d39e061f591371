// One site (one stack): a FleetHost per configured host, independent of each other, so the
// engine can work on every host at once and one host's failure leaves the others alone.
import * as pulumi from "@pulumi/pulumi";

import type { FleetConfig } from "./config";
import type { RegistryCredentials } from "./fleetHost";
import { FleetHost } from "./fleetHost";

export interface SiteArgs {
  readonly config: FleetConfig;
  readonly registryCredentials?: RegistryCredentials;
  readonly sshPrivateKey?: pulumi.Output<string>;
  readonly notificationUrl?: pulumi.Output<string>;
  /** @default true */
  readonly clearStaleContainers?: boolean;
}

export interface HostOutputs {
  orchestratorUrl: string;
  containerNames: Record<string, string>;
  imageReference: string;
  autoUpdate: boolean;
}

export class Site extends pulumi.ComponentResource {
  /** Per host name: where the orchestrator answers, what runs, and whether it auto-updates. */
  readonly hosts: pulumi.Output<Record<string, HostOutputs>>;

  constructor(name: string, args: SiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orchestrator-fleet:site:Site", name, {}, opts);
    const { image } = args.config;
    if (image.digest !== undefined && args.config.hosts.length > 0) {
      pulumi.log.warn(
        `image.digest pins every orchestrator of this site to ${image.digest}: Watchtower leaves ` +
          `them alone until it is removed (\`pulumi config rm --path image.digest\`), after which ` +
          `they follow ${image.tag} again.`,
        this,
      );
    }

    const hosts = args.config.hosts.map(
      (host) =>
        new FleetHost(
          `${name}-${host.name}`,
          {
            site: args.config,
            host,
            registryCredentials: args.registryCredentials,
            sshPrivateKey: args.sshPrivateKey,
            notificationUrl: args.notificationUrl,
            clearStaleContainers: args.clearStaleContainers,
          },
          { parent: this },
        ),
    );

    this.hosts = pulumi
      .all(
        hosts.map((host) =>
          pulumi.all([
            host.orchestratorUrl,
            host.containerNames,
            host.imageReference,
            host.autoUpdate,
          ]),
        ),
      )
      .apply((values) =>
        Object.fromEntries(
          values.map(([orchestratorUrl, containerNames, imageReference, autoUpdate], index) => [
            args.config.hosts[index].name,
            { orchestratorUrl, containerNames, imageReference, autoUpdate },
          ]),
        ),
      );
    this.registerOutputs({ hosts: this.hosts });
  }
}
