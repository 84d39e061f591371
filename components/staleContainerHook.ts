// The before-create hook bound to every container this program names. Watchtower replaces the
// orchestrator with a new container of the same name and a new ID; the Docker provider tracks
// containers by ID only, so after `pulumi refresh`, or in any replacement, its create would hit
// 409 Conflict on the name. The hook removes that container first, if it is one of ours.
import * as pulumi from "@pulumi/pulumi";

import { createDockerClient } from "./dockerEngine";
import { clearStaleContainer } from "./staleContainer";

export interface StaleContainerTarget {
  /** The site and host whose labels a container must carry to be removed. */
  readonly owner: { readonly site: string; readonly host: string };
  /** The local engine's socket; unset for ssh hosts. */
  readonly socketPath?: string;
  readonly ssh?: {
    readonly host: string;
    readonly user: string;
    readonly port: number;
    /** Unset: the SSH agent. */
    readonly privateKey?: pulumi.Output<string>;
  };
}

/** Resolves an Output's value for code that runs outside the resource graph (a hook). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}

export function staleContainerHook(
  name: string,
  target: StaleContainerTarget,
): pulumi.ResourceHook {
  const privateKey = target.ssh?.privateKey ? valueOf(target.ssh.privateKey) : undefined;
  return new pulumi.ResourceHook(name, async (args) => {
    const containerName: unknown = args.newInputs?.name;
    if (typeof containerName !== "string") {
      throw new Error(`${name}: the container ${args.urn} has no name to clear`);
    }
    const docker = createDockerClient({
      socketPath: target.socketPath,
      ssh: target.ssh && {
        host: target.ssh.host,
        user: target.ssh.user,
        port: target.ssh.port,
        privateKey: privateKey ? await privateKey : undefined,
      },
    });
    const outcome = await clearStaleContainer(docker, containerName, target.owner);
    if (outcome === "removed") {
      pulumi.log.info(
        `Removed container ${containerName} on ${target.owner.host}: Watchtower had replaced the ` +
          "one in the state; it is created again from the stack's config now.",
      );
    }
  });
}
