// Container labels: the ones Watchtower reads, and the ones this program writes to find its own
// containers again on a host.

/**
 * With `--label-enable`, Watchtower watches only containers with this label set to `true`, and a
 * container with `false` is always excluded.
 * https://github.com/nicholas-fedor/watchtower/blob/main/pkg/filters/filters.go
 */
export const watchtowerEnableLabel = "com.centurylinklabs.watchtower.enable";

/**
 * With `--scope X`, Watchtower watches only containers carrying this label with value X; the
 * Watchtower container itself must carry it too.
 * https://github.com/nicholas-fedor/watchtower/blob/main/docs/advanced-features/running-multiple-instances/index.md
 */
export const watchtowerScopeLabel = "com.centurylinklabs.watchtower.scope";

/** The site (stack) that declared a container. */
export const fleetSiteLabel = "dev.orchestrator-fleet.site";

/** The host entry, by its `hosts[].name`, that declared a container. */
export const fleetHostLabel = "dev.orchestrator-fleet.host";

/** What the container is: `orchestrator`, `watchtower` or `ollama`. */
export const fleetRoleLabel = "dev.orchestrator-fleet.role";

/**
 * A hash of the site's config directory. It changes when a file changes, which replaces the
 * orchestrator container so that it starts with the new files (it does not watch them).
 */
export const fleetConfigHashLabel = "dev.orchestrator-fleet.config-sha256";

export type FleetRole = "orchestrator" | "watchtower" | "ollama";
