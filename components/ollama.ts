// The optional Ollama container of a host: on the host's network under the name the
// orchestrator's OLLAMA_HOST points at, with its models on a volume that outlives the container.
import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";

import type { FleetConfig, HostConfig } from "./config";
import { boundedLogOpts, ollamaLabels } from "./containerSpec";

/** Declares the Ollama image, models volume and container; returns the container's name. */
export function declareOllama(
  name: string,
  site: FleetConfig,
  host: HostConfig,
  network: docker.Network,
  childOpts: pulumi.CustomResourceOptions,
  containerOpts: pulumi.CustomResourceOptions,
): string {
  const containerName = site.ollama.containerName;
  const image = new docker.RemoteImage(
    `${name}-ollama-image`,
    { name: site.ollama.image, keepLocally: true },
    childOpts,
  );
  const models = new docker.Volume(
    `${name}-ollama-models`,
    { name: site.ollama.modelsVolume },
    childOpts,
  );
  // Not labelled for Watchtower: under --label-enable it is left alone, on its pinned version.
  new docker.Container(
    `${name}-ollama`,
    {
      name: containerName,
      image: site.ollama.image,
      restart: "unless-stopped",
      volumes: [{ volumeName: models.name, containerPath: "/root/.ollama" }],
      networksAdvanced: [{ name: network.name, aliases: [containerName] }],
      logDriver: "json-file",
      logOpts: boundedLogOpts(site.logging),
      labels: ollamaLabels(site, host.name),
    },
    { ...containerOpts, dependsOn: [image] },
  );
  return containerName;
}
