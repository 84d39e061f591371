// Pure builders for what each container runs: labels, environment, Watchtower flags, log limits.
// Kept apart from the component so they are testable on plain values and shared with the tools
// that check a running host against them.
import type { FleetConfig, LoggingConfig, WatchtowerConfig } from "./config";
import { apiRegistryFile } from "./configDir";
import type { FleetRole } from "./labels";
import {
  fleetConfigHashLabel,
  fleetHostLabel,
  fleetRoleLabel,
  fleetSiteLabel,
  watchtowerEnableLabel,
  watchtowerScopeLabel,
} from "./labels";

/** The port the orchestrator listens on inside its container. */
export const orchestratorPort = 8080;

/** Where the site's config directory is mounted, read-only, in the orchestrator. */
export const configMountPath = "/config";

export interface Label {
  label: string;
  value: string;
}

function toLabels(record: Record<string, string>): Label[] {
  return Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, value]) => ({ label, value }));
}

/** Labels by which this program recognises its own containers on a host. */
export function ownershipLabels(
  site: string,
  host: string,
  role: FleetRole,
): Record<string, string> {
  return { [fleetSiteLabel]: site, [fleetHostLabel]: host, [fleetRoleLabel]: role };
}

/**
 * Whether Watchtower may update the orchestrator. A digest pin turns it off: the `false` label
 * excludes the container even from a Watchtower that would otherwise watch it, and the fork also
 * skips `repo@sha256:` images (nicholas-fedor/watchtower pkg/container/container_target.go).
 */
export function autoUpdateEnabled(config: FleetConfig): boolean {
  return config.image.digest === undefined;
}

export function orchestratorLabels(config: FleetConfig, host: string): Label[] {
  return toLabels({
    ...ownershipLabels(config.site, host, "orchestrator"),
    [fleetConfigHashLabel]: config.orchestrator.configHash,
    [watchtowerEnableLabel]: String(autoUpdateEnabled(config)),
    // The seed's compose file passes --scope without this label, so its Watchtower never updates
    // the orchestrator: with a scope, unlabelled containers are ignored (DOMAIN.md, Watchtower).
    [watchtowerScopeLabel]: config.watchtower.scope,
  });
}

export function watchtowerLabels(config: FleetConfig, host: string): Label[] {
  // Watchtower's docs ask for the scope label on the Watchtower container too. It gets no enable
  // label: under --label-enable it then never updates itself, so its pinned version holds.
  return toLabels({
    ...ownershipLabels(config.site, host, "watchtower"),
    [watchtowerScopeLabel]: config.watchtower.scope,
  });
}

export function ollamaLabels(config: FleetConfig, host: string): Label[] {
  return toLabels(ownershipLabels(config.site, host, "ollama"));
}

/** The orchestrator's environment: the seed's variables first, then the site's extras. */
export function orchestratorEnv(config: FleetConfig): string[] {
  const env: Record<string, string> = {
    PYTHONUNBUFFERED: "1",
    LOG_LEVEL: config.orchestrator.logLevel,
    OLLAMA_HOST: config.orchestrator.ollamaHost,
    API_REGISTRY_PATH: `${configMountPath}/${apiRegistryFile}`,
    ...config.orchestrator.env,
  };
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

/** The seed's Watchtower flags, from config (`--debug` only when asked). */
export function watchtowerCommand(watchtower: WatchtowerConfig): string[] {
  const command = ["--label-enable", "--interval", String(watchtower.intervalSeconds)];
  if (watchtower.cleanup) {
    command.push("--cleanup");
  }
  command.push("--scope", watchtower.scope);
  if (watchtower.rollingRestart) {
    command.push("--rolling-restart");
  }
  if (watchtower.debug) {
    command.push("--debug");
  }
  return command;
}

/**
 * The archived containrrr/watchtower speaks Docker API 1.25, which Docker Engine 29 rejects
 * (containrrr/watchtower#2122); it works there only with DOCKER_API_VERSION pinned to 1.44.
 */
export function isArchivedWatchtower(image: string): boolean {
  return /^(docker\.io\/)?containrrr\/watchtower([:@]|$)/.test(image);
}

/** Non-secret environment of the Watchtower container. */
export function watchtowerPlainEnv(watchtower: WatchtowerConfig): string[] {
  return isArchivedWatchtower(watchtower.image) ? ["DOCKER_API_VERSION=1.44"] : [];
}

/**
 * Docker keeps json-file logs forever unless told otherwise, which fills an edge host's disk.
 * https://docs.docker.com/engine/logging/drivers/json-file/
 */
export function boundedLogOpts(logging: LoggingConfig): Record<string, string> {
  return { "max-size": logging.maxSize, "max-file": String(logging.maxFiles) };
}

/** Docker durations are Go duration strings. */
export function seconds(value: number): string {
  return `${value}s`;
}
