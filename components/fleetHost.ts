// Everything one Docker host of a site runs: the orchestrator, the Watchtower that keeps it on the
// newest image, and optionally Ollama, on a private bridge network, through the host's own Docker
// provider.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

import type { FleetConfig, HostConfig } from "./config";
import { imageReference } from "./config";
import { ConfigDelivery } from "./configDelivery";
import {
  autoUpdateEnabled,
  boundedLogOpts,
  configMountPath,
  orchestratorEnv,
  orchestratorLabels,
  orchestratorPort,
  seconds,
  watchtowerCommand,
  watchtowerLabels,
  watchtowerPlainEnv,
} from "./containerSpec";
import { declareOllama } from "./ollama";
import { sshOptsForKey } from "./sshKeyFile";
import { staleContainerHook } from "./staleContainerHook";

export interface RegistryCredentials {
  /** The GitHub user the token belongs to. */
  readonly username: pulumi.Input<string>;
  /** A token with `read:packages`. */
  readonly password: pulumi.Output<string>;
}

export interface FleetHostArgs {
  /** The validated config of the site this host belongs to. */
  readonly site: FleetConfig;
  /** This host's entry of `hosts`. */
  readonly host: HostConfig;
  /** Registry login for a private package; used for pulls by Pulumi and by Watchtower. */
  readonly registryCredentials?: RegistryCredentials;
  /** The key for `ssh` hosts that do not use the agent. */
  readonly sshPrivateKey?: pulumi.Output<string>;
  /** A shoutrrr URL Watchtower reports updates to. */
  readonly notificationUrl?: pulumi.Output<string>;
  /**
   * Bind a before-create hook that removes a container of the same name left behind by
   * Watchtower, so that replacements and refresh-then-up succeed. Only `false` in unit tests of
   * SDK versions whose mocks cannot register hooks.
   * @default true
   */
  readonly clearStaleContainers?: boolean;
}

/** Where the program puts a site's config on a remote host unless `hosts[].configPath` says. */
export function defaultRemoteConfigPath(site: string): string {
  return `/opt/orchestrator-fleet/${site}/config`;
}

/** The address operators reach the orchestrator at, for the URL output. */
export function hostAddress(host: HostConfig): string {
  const address = host.address ?? host.ssh?.host ?? "localhost";
  return address.includes(":") ? `[${address}]` : address;
}

export class FleetHost extends pulumi.ComponentResource {
  /** The orchestrator's URL on this host. */
  readonly orchestratorUrl: pulumi.Output<string>;
  /** Names of the containers this host runs. */
  readonly containerNames: pulumi.Output<Record<string, string>>;
  /** The image reference the orchestrator runs: a tag Watchtower follows, or a digest pin. */
  readonly imageReference: pulumi.Output<string>;
  /** Whether Watchtower keeps the orchestrator on the newest image. */
  readonly autoUpdate: pulumi.Output<boolean>;

  constructor(name: string, args: FleetHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orchestrator-fleet:host:FleetHost", name, {}, opts);
    const { site, host } = args;
    const ssh = host.ssh;
    const logOpts = boundedLogOpts(site.logging);
    const reference = imageReference(site.image);

    const provider = new docker.Provider(
      `${name}-docker`,
      {
        host: ssh ? `ssh://${ssh.user}@${ssh.host}:${ssh.port}` : `unix://${host.dockerSocket}`,
        sshOpts:
          ssh && !ssh.useAgent && args.sshPrivateKey
            ? sshOptsForKey(args.sshPrivateKey)
            : undefined,
        registryAuth: args.registryCredentials
          ? [
              {
                address: site.image.registry,
                username: args.registryCredentials.username,
                password: args.registryCredentials.password,
              },
            ]
          : undefined,
      },
      { parent: this },
    );
    const childOpts = { parent: this, provider };

    // Containers have fixed names, so a replacement must delete the old one first
    // (pulumi/pulumi-docker#1356), and every change must replace: an in-place update would target
    // the container ID in state, which Watchtower may have replaced (DOMAIN.md, Docker provider).
    const hooks =
      args.clearStaleContainers === false
        ? undefined
        : {
            beforeCreate: [
              staleContainerHook(`${name}-clear-stale-container`, {
                owner: { site: site.site, host: host.name },
                socketPath: ssh ? undefined : host.dockerSocket,
                ssh: ssh && {
                  host: ssh.host,
                  user: ssh.user,
                  port: ssh.port,
                  privateKey: ssh.useAgent ? undefined : args.sshPrivateKey,
                },
              }),
            ],
          };
    const containerOpts = {
      ...childOpts,
      deleteBeforeReplace: true,
      replaceOnChanges: ["*"],
      hooks,
    };

    const network = new docker.Network(
      `${name}-network`,
      { name: `orchestrator-fleet-${site.site}`, driver: "bridge" },
      childOpts,
    );

    // Pull first, by the literal reference: a container created from an image ID or a repo
    // digest counts as pinned for Watchtower and would never be updated (DOMAIN.md).
    const orchestratorImage = new docker.RemoteImage(
      `${name}-orchestrator-image`,
      { name: reference, keepLocally: true },
      childOpts,
    );
    const watchtowerImage = new docker.RemoteImage(
      `${name}-watchtower-image`,
      { name: site.watchtower.image, keepLocally: true },
      childOpts,
    );

    const logsVolume = new docker.Volume(
      `${name}-orchestrator-logs`,
      { name: `${site.orchestrator.containerName}_logs` },
      childOpts,
    );

    let configSource: pulumi.Input<string> = site.orchestrator.configDir;
    const configDependencies: pulumi.Resource[] = [];
    if (ssh) {
      const delivery = new ConfigDelivery(
        `${name}-config`,
        {
          connection: {
            host: ssh.host,
            user: ssh.user,
            port: ssh.port,
            privateKey: ssh.useAgent ? undefined : args.sshPrivateKey,
          },
          localDir: site.orchestrator.configDir,
          files: site.orchestrator.configFiles,
          contentHash: site.orchestrator.configHash,
          remoteDir: host.configPath ?? defaultRemoteConfigPath(site.site),
        },
        { parent: this },
      );
      configSource = delivery.remoteDir;
      configDependencies.push(delivery);
    }

    const ollamaName = site.ollama.enabled
      ? declareOllama(name, site, host, network, childOpts, containerOpts)
      : undefined;

    const health = site.orchestrator.healthcheck;
    const orchestrator = new docker.Container(
      `${name}-orchestrator`,
      {
        name: site.orchestrator.containerName,
        image: reference,
        envs: orchestratorEnv(site),
        ports: [
          {
            internal: orchestratorPort,
            external: site.orchestrator.hostPort,
            ip: site.orchestrator.bindAddress,
            protocol: "tcp",
          },
        ],
        mounts: [{ type: "bind", source: configSource, target: configMountPath, readOnly: true }],
        volumes: [{ volumeName: logsVolume.name, containerPath: "/logs" }],
        networksAdvanced: [{ name: network.name, aliases: [site.orchestrator.containerName] }],
        restart: "unless-stopped",
        healthcheck: {
          tests: health.command,
          interval: seconds(health.intervalSeconds),
          timeout: seconds(health.timeoutSeconds),
          retries: health.retries,
          startPeriod: seconds(health.startPeriodSeconds),
        },
        // Waits for `healthy` on create, so `pulumi up` fails on an orchestrator that never
        // becomes healthy instead of reporting success.
        wait: true,
        waitTimeout: site.orchestrator.waitTimeoutSeconds,
        logDriver: "json-file",
        logOpts,
        labels: orchestratorLabels(site, host.name),
      },
      { ...containerOpts, dependsOn: [orchestratorImage, ...configDependencies] },
    );

    const secretEnv: pulumi.Output<string>[] = [];
    if (args.registryCredentials) {
      secretEnv.push(
        pulumi.interpolate`REPO_USER=${args.registryCredentials.username}`,
        pulumi.interpolate`REPO_PASS=${args.registryCredentials.password}`,
      );
    }
    if (args.notificationUrl) {
      secretEnv.push(pulumi.interpolate`WATCHTOWER_NOTIFICATION_URL=${args.notificationUrl}`);
    }
    const watchtower = new docker.Container(
      `${name}-watchtower`,
      {
        name: site.watchtower.containerName,
        image: site.watchtower.image,
        command: watchtowerCommand(site.watchtower),
        envs: pulumi
          .all(secretEnv)
          .apply((values) => [...watchtowerPlainEnv(site.watchtower), ...values]),
        // The only container that gets the Docker socket: it can do anything to the host.
        mounts: [{ type: "bind", source: host.dockerSocket, target: "/var/run/docker.sock" }],
        networksAdvanced: [{ name: network.name }],
        restart: "unless-stopped",
        logDriver: "json-file",
        logOpts,
        labels: watchtowerLabels(site, host.name),
      },
      // After the orchestrator: a Watchtower that starts first could update a half-made host.
      { ...containerOpts, dependsOn: [watchtowerImage, orchestrator] },
    );

    this.orchestratorUrl = pulumi.output(
      `http://${hostAddress(host)}:${site.orchestrator.hostPort}`,
    );
    this.containerNames = pulumi
      .all([orchestrator.name, watchtower.name])
      .apply(([orchestratorName, watchtowerName]): Record<string, string> => ({
        orchestrator: orchestratorName,
        watchtower: watchtowerName,
        ...(ollamaName ? { ollama: ollamaName } : {}),
      }));
    this.imageReference = orchestrator.image;
    this.autoUpdate = pulumi.output(autoUpdateEnabled(site));
    this.registerOutputs({
      orchestratorUrl: this.orchestratorUrl,
      containerNames: this.containerNames,
      imageReference: this.imageReference,
      autoUpdate: this.autoUpdate,
    });
  }
}
