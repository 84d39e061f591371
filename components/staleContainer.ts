// Clears the way for a container create when Watchtower has replaced the container behind
// Pulumi's back.
//
// Watchtower updates a container by removing it and creating a new one with the same name and a
// new ID (https://github.com/nicholas-fedor/watchtower/blob/main/internal/actions/update.go). The
// Docker provider tracks containers by ID only and creates with a plain create, so a later create
// of the fixed name answers 409 Conflict (pulumi/pulumi-docker#1356). Removing the same-named
// container that this stack owns right before the create makes refresh-then-up and replacements
// succeed without a manual `docker rm` on the host.
import type Docker from "dockerode";

import { explainEngineError } from "./dockerEngine";
import { fleetHostLabel, fleetSiteLabel } from "./labels";

/** The site and host entry that own a container, as its labels record them. */
export interface ContainerOwner {
  readonly site: string;
  readonly host: string;
}

/** What `clearStaleContainer` did: nothing was there, or it removed this stack's container. */
export type StaleContainerOutcome = "absent" | "removed";

/**
 * Removes the container named exactly `containerName` if this site and host own it, so that a
 * create with that name can follow. A same-named container without both ownership labels is
 * someone else's: it is left alone and the error says how to remove it.
 */
export async function clearStaleContainer(
  docker: Docker,
  containerName: string,
  owner: ContainerOwner,
): Promise<StaleContainerOutcome> {
  // The engine's `name` filter matches any part of a name (as a regular expression), so
  // `vtuber_orchestrator` would also find `old_vtuber_orchestrator_2`; keep only the exact name.
  // Names come back with a leading slash.
  let candidates: Docker.ContainerInfo[];
  try {
    candidates = await docker.listContainers({ all: true, filters: { name: [containerName] } });
  } catch (error) {
    throw explainEngineError(error, docker, `clear a stale container "${containerName}"`);
  }
  const existing = candidates.find((container) => container.Names.includes(`/${containerName}`));
  if (existing === undefined) {
    return "absent";
  }

  const labels = existing.Labels ?? {};
  if (labels[fleetSiteLabel] !== owner.site || labels[fleetHostLabel] !== owner.host) {
    throw new Error(foreignContainerMessage(containerName, owner, labels));
  }

  try {
    // Force stops a running container first. Named volumes (the orchestrator's logs) survive.
    await docker.getContainer(existing.Id).remove({ force: true });
  } catch (error) {
    // Gone between the listing and the removal (Watchtower again, or a parallel run): the name is
    // free either way.
    if ((error as { statusCode?: number }).statusCode !== 404) {
      throw error;
    }
  }
  return "removed";
}

function foreignContainerMessage(
  containerName: string,
  owner: ContainerOwner,
  labels: Record<string, string>,
): string {
  const site = labels[fleetSiteLabel];
  const host = labels[fleetHostLabel];
  const found =
    site === undefined && host === undefined
      ? "it has no orchestrator-fleet labels"
      : `it is labelled ${fleetSiteLabel}=${site ?? "(none)"} and ${fleetHostLabel}=${host ?? "(none)"}`;
  const composeProject = labels["com.docker.compose.project"];
  const removal =
    composeProject === undefined
      ? `\`docker rm -f ${containerName}\``
      : `\`docker compose -p ${composeProject} down\` (it was started by Docker Compose project ` +
        `"${composeProject}") or \`docker rm -f ${containerName}\``;
  return (
    `A container named "${containerName}" already exists on host "${owner.host}" and is not ` +
    `managed by this stack (site "${owner.site}"): ${found}, where this stack expects ` +
    `${fleetSiteLabel}=${owner.site} and ${fleetHostLabel}=${owner.host}. It was left alone. ` +
    `Remove it on that host with ${removal}, then run \`pulumi up\` again.`
  );
}
