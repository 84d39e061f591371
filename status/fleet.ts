// Checks every host of a site at once: one registry lookup for the tag, then each host's engine
// with its own time limit, so one slow or dead host never holds up or hides the others.
import type Docker from "dockerode";

import type { FleetConfig } from "../components/config";
import { imageReference } from "../components/config";
import type { DockerEngineTarget } from "../components/dockerEngine";
import { createDockerClient, describeEngine, explainEngineError } from "../components/dockerEngine";
import { assessHost, exitCodeOf, unreachableHost } from "./assess";
import { inspectHost } from "./inspect";
import { lookupTag, registryBaseUrl } from "./registry";
import type { ExpectedHost, FleetReport, HostFacts } from "./types";

export interface FleetCheckOptions {
  readonly stack: string;
  /** Per host, for the whole inspection. @default 10000 */
  readonly hostTimeoutMs?: number;
  /** Replaces the registry's API base, e.g. `http://127.0.0.1:5000` for a mirror. */
  readonly registryUrl?: string;
  readonly registryToken?: string;
  readonly registryUser?: string;
  /** An unencrypted private key for the ssh hosts; without it the SSH agent signs in. */
  readonly sshPrivateKey?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Builds the client for a host; tests swap it. @default createDockerClient */
  readonly connect?: (target: DockerEngineTarget, env: NodeJS.ProcessEnv) => Docker;
  readonly now?: () => Date;
}

/** Where each host's engine is and what it should run, from the validated config. */
export function expectedHosts(
  config: FleetConfig,
  options: Pick<FleetCheckOptions, "sshPrivateKey"> = {},
) {
  return config.hosts.map((host) => {
    const target: DockerEngineTarget = {
      socketPath: host.dockerSocket,
      ssh: host.ssh && {
        host: host.ssh.host,
        user: host.ssh.user,
        port: host.ssh.port,
        // The stack's sshPrivateKey is an encrypted secret this tool cannot read; a host marked
        // useAgent always goes through the agent.
        privateKey: host.ssh.useAgent ? undefined : options.sshPrivateKey,
      },
    };
    const expected: ExpectedHost = {
      host: host.name,
      engine: describeEngine(target),
      imageReference: imageReference(config.image),
      pinnedDigest: config.image.digest,
      orchestratorName: config.orchestrator.containerName,
      watchtower: {
        containerName: config.watchtower.containerName,
        image: config.watchtower.image,
        scope: config.watchtower.scope,
      },
    };
    return { expected, target };
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads one host within its time limit; a failure becomes the reason it was not checked. */
async function readHost(
  expected: ExpectedHost,
  target: DockerEngineTarget,
  names: { orchestrator: string; watchtower: string },
  options: FleetCheckOptions,
): Promise<{ facts: HostFacts } | { reason: string }> {
  const timeoutMs = options.hostTimeoutMs ?? 10000;
  const connect = options.connect ?? createDockerClient;
  let docker: Docker;
  try {
    docker = connect({ ...target, timeoutMs }, options.env ?? process.env);
  } catch (error) {
    // No SSH agent and no key. The stack's sshPrivateKey is encrypted and out of reach here, so
    // the way out for this command is the agent or --identity.
    return {
      reason: `${(error as Error).message} For this command: start an agent or pass --identity <key file>.`,
    };
  }
  try {
    const what = `the engine at ${expected.engine}`;
    return { facts: await withTimeout(inspectHost(docker, names), timeoutMs, what) };
  } catch (error) {
    const explained = explainEngineError(error, docker, "read its containers");
    return { reason: explained instanceof Error ? explained.message : String(explained) };
  }
}

/** The status of every host of the site, in the config's order. */
export async function checkFleet(
  config: FleetConfig,
  options: FleetCheckOptions,
): Promise<FleetReport> {
  const env = options.env ?? process.env;
  const reference = imageReference(config.image);
  const registryUrl = registryBaseUrl(config.image.registry, options.registryUrl);
  // For a pin the registry's tag is only shown; the lookup still tells what the tag moved to.
  const tagReference = imageReference({ ...config.image, digest: undefined });
  const names = {
    orchestrator: config.orchestrator.containerName,
    watchtower: config.watchtower.containerName,
  };
  const hosts = expectedHosts(config, options);

  const registryLookup = lookupTag(tagReference, {
    baseUrl: registryUrl,
    token: options.registryToken,
    user: options.registryUser ?? config.registryUser,
    timeoutMs: options.hostTimeoutMs ?? 10000,
  });
  const [registry, ...results] = await Promise.all([
    registryLookup,
    ...hosts.map(({ expected, target }) => readHost(expected, target, names, { ...options, env })),
  ]);
  const reports = results.map((result, index) =>
    "reason" in result
      ? unreachableHost(hosts[index].expected, result.reason)
      : assessHost(hosts[index].expected, result.facts, registry),
  );
  return {
    stack: options.stack,
    site: config.site,
    image: reference,
    registry: { ...registry, url: registryUrl },
    checkedAt: (options.now ?? (() => new Date()))().toISOString(),
    hosts: reports,
    exitCode: exitCodeOf(reports, registry, config.image.digest !== undefined),
  };
}
