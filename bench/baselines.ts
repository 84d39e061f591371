// What the program is compared with. Both declare resources flat, with no components, config
// parsing, validation, hooks, providers passed down or dependencies between resources, so the
// time they take is what Pulumi's SDK and the mocks cost for that many registrations.
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

import * as path from "node:path";

import { benchConfigValues, benchSite } from "./fleetConfig";

const containerType = "docker:index/container:Container";
const bareImage = "busybox:1.37";

/**
 * A custom resource of the Docker container's type token that declares only the inputs it is
 * given. The provider SDK's docker.Container also declares its ~80 output properties, each an
 * Output of its own; this one does not, which is what makes it the floor.
 */
class BareContainer extends pulumi.CustomResource {
  constructor(name: string, args: { name: string; image: string }) {
    super(containerType, name, args);
  }
}

/** The baseline: `count` bare container-like resources, registered directly. */
export function declareBareResources(count: number): void {
  for (let index = 0; index < count; index++) {
    new BareContainer(`bare-${index}`, { name: `bare-${index}`, image: bareImage });
  }
}

/**
 * The custom resources the program declares for `hosts` hosts, of the same provider classes and
 * with a minimum of inputs, but flat: no Site, FleetHost or ConfigDelivery components, no
 * parents, hooks or dependsOn. The program's time over this one is what our own code costs.
 */
export function declareTypedResources(hosts: number, projectDir: string): void {
  const registryFile = path.join(projectDir, "config", benchSite, "api_registry.yaml");
  const entries = benchConfigValues(hosts).hosts as { name: string; ssh?: { host: string } }[];
  for (const { name, ssh } of entries) {
    const prefix = `typed-${name}`;
    new docker.Provider(`${prefix}-docker`, {
      host: ssh ? `ssh://deploy@${ssh.host}:22` : "unix:///var/run/docker.sock",
    });
    new docker.Network(`${prefix}-network`, { name: "fleet" });
    new docker.RemoteImage(`${prefix}-orchestrator-image`, { name: "ghcr.io/acme/orchestrator" });
    new docker.RemoteImage(`${prefix}-watchtower-image`, { name: "nickfedor/watchtower:1.21.0" });
    new docker.Volume(`${prefix}-orchestrator-logs`, { name: "orchestrator_logs" });
    new docker.Container(`${prefix}-orchestrator`, { name: "orchestrator", image: bareImage });
    new docker.Container(`${prefix}-watchtower`, { name: "watchtower", image: bareImage });
    if (ssh) {
      const connection = { host: ssh.host, user: "deploy" };
      new command.remote.Command(`${prefix}-config-prepare`, { connection, create: "true" });
      new command.remote.CopyToRemote(`${prefix}-config-file`, {
        connection,
        source: new pulumi.asset.FileAsset(registryFile),
        remotePath: "/opt/config/api_registry.yaml",
      });
    }
  }
}
