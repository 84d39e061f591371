// A site on the test engine, deployed the way the program would deploy it: a stack file read
// through the program's schema, the orchestrator image pushed to the test registry under the
// stack's owner, and containers started with the labels, flags and names the program declares.
// The registry stands in for GHCR: the containers' image is the literal `ghcr.io/...` reference
// (tagged locally), and the status asks http://127.0.0.1:5000 for it.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

import type { FleetConfig } from "../../components/config";
import { imageReference, parseFleetConfig } from "../../components/config";
import {
  orchestratorLabels,
  watchtowerCommand,
  watchtowerLabels,
} from "../../components/containerSpec";
import type { Label } from "../../components/containerSpec";
import { readStackFile } from "../../components/stackFile";
import { checkFleet } from "../../status/fleet";
import type { FleetReport } from "../../status/types";
import { makeProjectDir } from "../fixtures";
import { eventually, testImages, testRegistry, testRegistryUrl } from "./engine";
import type { TestScope } from "./engine";

export const hostName = "edge-1";

export interface TestSite {
  readonly stack: string;
  readonly projectDir: string;
  readonly config: FleetConfig;
  /** Where the test registry serves this site's orchestrator tag. */
  readonly registryReference: string;
}

export function labelRecord(labels: readonly Label[]): Record<string, string> {
  return Object.fromEntries(labels.map(({ label, value }) => [label, value]));
}

/**
 * Writes Pulumi.<stack>.yaml for a one-host site on the test engine (plus, when asked, a host
 * whose socket does not exist) and parses it with the program's schema. Names are unique to the
 * test, so tests never meet on the engine or in the registry.
 */
export function writeSite(
  scope: TestScope,
  extraHosts: Record<string, unknown>[] = [],
  extraLines: string[] = [],
): TestSite {
  assert.ok(
    scope.socketPath,
    "the status tests reach the engine through a unix socket (DOCKER_HOST=unix://...)",
  );
  const site = "lab";
  const projectDir = makeProjectDir(site);
  const stack = `test-${scope.caseId}`;
  const owner = `ft-${scope.caseId}`;
  const stackFile = [
    "config:",
    `  orchestrator-fleet:site: ${site}`,
    "  orchestrator-fleet:image:",
    `    owner: ${owner}`,
    "  orchestrator-fleet:hosts:",
    `    - name: ${hostName}`,
    `      dockerSocket: ${scope.socketPath}`,
    ...extraHosts.map((host) => `    - ${JSON.stringify(host)}`),
    "  orchestrator-fleet:orchestrator:",
    `    containerName: ${scope.name("orchestrator")}`,
    `    configDir: config/${site}`,
    "  orchestrator-fleet:watchtower:",
    `    containerName: ${scope.name("watchtower")}`,
    // The stand-in, by its own name: a local `nickfedor/watchtower` tag could shadow the real one.
    `    image: ${testImages.watchtower}`,
    ...extraLines,
    "",
  ].join("\n");
  fs.writeFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), stackFile);
  const config = parseFleetConfig(
    readStackFile(path.join(projectDir, `Pulumi.${stack}.yaml`), projectDir),
  );
  const registryReference = `${testRegistry}/${owner}/${config.image.name}:${config.image.tag}`;
  return { stack, projectDir, config, registryReference };
}

/** Publishes a build of the fake orchestrator under the site's tag, as CI would to GHCR. */
export async function publish(scope: TestScope, site: TestSite, build: string): Promise<void> {
  await scope.tag(build, site.registryReference);
  await scope.push(site.registryReference);
}

/**
 * Pulls the site's tag and starts the orchestrator from the literal `ghcr.io/...` reference, with
 * the program's labels and a healthcheck on /health. The program's default probe runs Python,
 * which busybox lacks; busybox wget probes the same URL.
 */
export async function startOrchestrator(
  scope: TestScope,
  site: TestSite,
  overrideLabels: (labels: Record<string, string>) => Record<string, string> = (labels) => labels,
): Promise<void> {
  const pull = await scope.docker.pull(site.registryReference);
  await new Promise((resolve, reject) =>
    scope.docker.modem.followProgress(pull, (error: Error | null) =>
      error ? reject(error) : resolve(undefined),
    ),
  );
  await scope.tag(site.registryReference, imageReference(site.config.image));
  await scope.run({
    name: site.config.orchestrator.containerName,
    Image: imageReference(site.config.image),
    Labels: overrideLabels(labelRecord(orchestratorLabels(site.config, hostName))),
    Healthcheck: {
      Test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"],
      Interval: 500_000_000,
      Timeout: 2_000_000_000,
      Retries: 1,
    },
  });
  await waitForHealth(scope, site, "healthy");
}

/** Starts the stand-in Watchtower with the program's flags and labels. */
export async function startWatchtower(scope: TestScope, site: TestSite): Promise<void> {
  await scope.run({
    name: site.config.watchtower.containerName,
    Image: site.config.watchtower.image,
    Cmd: watchtowerCommand(site.config.watchtower),
    Labels: labelRecord(watchtowerLabels(site.config, hostName)),
  });
}

export async function waitForHealth(
  scope: TestScope,
  site: TestSite,
  wanted: string,
): Promise<void> {
  const container = scope.docker.getContainer(site.config.orchestrator.containerName);
  await eventually(
    `${site.config.orchestrator.containerName} becoming ${wanted}`,
    20000,
    async () => {
      const health = (await container.inspect()).State.Health?.Status;
      return health === wanted ? true : undefined;
    },
  );
}

/** The fleet status of the site, with the test registry standing in for GHCR. */
export function status(site: TestSite): Promise<FleetReport> {
  return checkFleet(site.config, {
    stack: site.stack,
    registryUrl: testRegistryUrl,
    hostTimeoutMs: 5000,
  });
}
