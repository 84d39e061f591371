// One site (one stack): a FleetHost per configured host, independent of each other, so the
// engine can work on every host at once and one host's failure leaves the others alone.
import * as pulumi from "@pulumi/pulumi";

import type { FleetConfig } from "./config";
import { isArchivedWatchtower } from "./containerSpec";
import type { RegistryCredentials } from "./fleetHost";
import { FleetHost } from "./fleetHost";

/**
 * Runs `declare` with V8 capturing no stack traces. The SDK stores a formatted stack trace on the
 * promises behind every Output of every resource property (@pulumi/pulumi runtime/debuggable.js),
 * for its promise-leak debugging; a docker.Container alone has about 80 properties. Measured by
 * `npm run bench` (docs/benchmark.md), those traces were three quarters of a site's evaluation
 * time and most of its memory: 3.1 GB at 1000 hosts, past the default heap of a small CI runner.
 * The price is that host resources carry no source position for the Pulumi Cloud console. With
 * PULUMI_DEBUG_PROMISE_LEAKS set, the traces are kept for the SDK's leak reports.
 */
export function withoutStackTraces<T>(declare: () => T): T {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
    return declare();
  }
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return declare();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

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

    if (isArchivedWatchtower(args.config.watchtower.image) && args.config.hosts.length > 0) {
      pulumi.log.warn(
        `watchtower.image is ${args.config.watchtower.image}: containrrr/watchtower was archived on ` +
          "2025-12-17 and needs DOCKER_API_VERSION=1.44 on Docker 29 (set here). Prefer the " +
          "maintained fork nickfedor/watchtower:1.21.0.",
        this,
      );
    }

    const hosts = withoutStackTraces(() =>
      args.config.hosts.map(
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
