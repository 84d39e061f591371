// Reads one host's engine: its version, and the orchestrator and Watchtower containers by exact
// name with the images they run. Only reads; nothing on the host changes.
import type Docker from "dockerode";

import type { ContainerFacts, EngineFacts, HostFacts } from "./types";
import { watchtowerEnvNames } from "./watchtower";

function statusCode(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

function keepSteeringEnv(env: readonly string[] | null | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const entry of env ?? []) {
    const equals = entry.indexOf("=");
    const name = equals === -1 ? entry : entry.slice(0, equals);
    if ((watchtowerEnvNames as readonly string[]).includes(name)) {
      kept[name] = equals === -1 ? "" : entry.slice(equals + 1);
    }
  }
  return kept;
}

/** A container by exact name, with its image; undefined when there is none. */
export async function inspectContainer(
  docker: Docker,
  name: string,
): Promise<ContainerFacts | undefined> {
  let info: Docker.ContainerInspectInfo;
  try {
    info = await docker.getContainer(name).inspect();
  } catch (error) {
    if (statusCode(error) === 404) {
      return undefined;
    }
    throw error;
  }
  // The engine also resolves an ID prefix; only the exact name is the container we mean.
  if (info.Name !== `/${name}`) {
    return undefined;
  }

  let image: Docker.ImageInspectInfo | undefined;
  try {
    image = await docker.getImage(info.Image).inspect();
  } catch (error) {
    // Removed under a running container (`docker rmi -f`): the container still runs, its digest
    // is simply unknown.
    if (statusCode(error) !== 404) {
      throw error;
    }
  }

  const health = info.State.Health;
  const lastOutput = health?.Log?.at(-1)?.Output?.trim();
  return {
    id: info.Id,
    name,
    state: info.State.Status,
    exitCode: info.State.ExitCode,
    health: health?.Status ?? "none",
    lastHealthOutput: lastOutput ? lastOutput.slice(0, 200) : undefined,
    restartCount: info.RestartCount,
    startedAt: info.State.StartedAt?.startsWith("0001-") ? undefined : info.State.StartedAt,
    image: info.Config.Image,
    imageId: info.Image,
    repoDigests: image?.RepoDigests ?? [],
    imageCreated: image?.Created,
    imageLabels: image?.Config?.Labels ?? {},
    labels: info.Config.Labels ?? {},
    args: info.Args ?? [],
    env: keepSteeringEnv(info.Config.Env),
  };
}

export async function inspectEngine(docker: Docker): Promise<EngineFacts> {
  const version = await docker.version();
  return {
    version: version.Version,
    apiVersion: version.ApiVersion,
    minApiVersion: (version as { MinAPIVersion?: string }).MinAPIVersion,
  };
}

/** Everything the status needs from one host. Errors (unreachable engine) propagate. */
export async function inspectHost(
  docker: Docker,
  names: { orchestrator: string; watchtower: string },
): Promise<HostFacts> {
  const engine = await inspectEngine(docker);
  const [orchestrator, watchtower] = await Promise.all([
    inspectContainer(docker, names.orchestrator),
    inspectContainer(docker, names.watchtower),
  ]);
  return { engine, orchestrator, watchtower };
}
