// How a running Watchtower is configured and whether it will update the orchestrator, read from
// its arguments, environment and labels. Pure, so each rule is tested on plain values.
//
// Rules, from nicholas-fedor/watchtower `pkg/filters/filters.go` and its docs
// (docs/configuration/arguments/index.md, docs/advanced-features/running-multiple-instances):
// - with --label-enable only containers labelled `...watchtower.enable=true` are watched, and
//   `...enable=false` always excludes;
// - with --scope X only containers labelled `...watchtower.scope=X` are watched;
// - --monitor-only checks and notifies but never updates;
// - the HTTP API (--http-api-update, --http-api-endpoints update) stops periodic polls unless
//   --http-api-periodic-polls is also set.
import { watchtowerEnableLabel, watchtowerScopeLabel } from "../components/labels";
import type { WatchtowerFlags } from "./types";

/** Environment variables that steer Watchtower; the only ones the status reads out. */
export const watchtowerEnvNames = [
  "WATCHTOWER_LABEL_ENABLE",
  "WATCHTOWER_SCOPE",
  "WATCHTOWER_POLL_INTERVAL",
  "WATCHTOWER_SCHEDULE",
  "WATCHTOWER_MONITOR_ONLY",
  "WATCHTOWER_HTTP_API_UPDATE",
  "WATCHTOWER_HTTP_API_PERIODIC_POLLS",
  "WATCHTOWER_RUN_ONCE",
  "WATCHTOWER_CLEANUP",
  "WATCHTOWER_ROLLING_RESTART",
  "WATCHTOWER_DEBUG",
  "DOCKER_API_VERSION",
] as const;

/** Reads one flag from `--name`, `--name=value` or `--name value` (for flags that take one). */
function flagValue(
  args: readonly string[],
  names: readonly string[],
  takesValue: boolean,
): string | undefined {
  let found: string | undefined;
  args.forEach((arg, index) => {
    for (const name of names) {
      if (arg === name) {
        found = takesValue ? (args[index + 1] ?? "") : "true";
      } else if (arg.startsWith(`${name}=`)) {
        found = arg.slice(name.length + 1);
      }
    }
  });
  return found;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|t|true)$/i.test(value);
}

/** Watchtower's effective selection settings; a flag wins over its environment variable. */
export function parseWatchtowerFlags(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): WatchtowerFlags {
  const bool = (names: string[], envName: string): boolean =>
    isTrue(flagValue(args, names, false) ?? env[envName]);
  const scope = flagValue(args, ["--scope"], true) ?? env.WATCHTOWER_SCOPE;
  const interval = flagValue(args, ["--interval", "-i"], true) ?? env.WATCHTOWER_POLL_INTERVAL;
  const httpApiEndpoints = flagValue(args, ["--http-api-endpoints"], true) ?? "";
  const httpApiUpdate =
    bool(["--http-api-update"], "WATCHTOWER_HTTP_API_UPDATE") ||
    httpApiEndpoints.split(",").includes("update");
  const periodicPolls = bool(["--http-api-periodic-polls"], "WATCHTOWER_HTTP_API_PERIODIC_POLLS");
  const parsedInterval = interval === undefined ? undefined : Number.parseInt(interval, 10);
  return {
    labelEnable: bool(["--label-enable"], "WATCHTOWER_LABEL_ENABLE"),
    scope: scope === undefined || scope === "" ? undefined : scope,
    intervalSeconds: Number.isFinite(parsedInterval) ? parsedInterval : undefined,
    monitorOnly: bool(["--monitor-only", "-m"], "WATCHTOWER_MONITOR_ONLY"),
    apiOnly: httpApiUpdate && !periodicPolls,
  };
}

/** Whether Watchtower would pick the container, and if not, every reason why. */
export function selection(
  flags: WatchtowerFlags,
  labels: Readonly<Record<string, string>>,
): { selected: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const enable = labels[watchtowerEnableLabel];
  if (enable === "false") {
    reasons.push(
      `the orchestrator is labelled ${watchtowerEnableLabel}=false, which always excludes it`,
    );
  } else if (flags.labelEnable && enable !== "true") {
    reasons.push(
      `Watchtower runs with --label-enable but the orchestrator is not labelled ${watchtowerEnableLabel}=true`,
    );
  }
  if (flags.scope !== undefined) {
    const scope = labels[watchtowerScopeLabel];
    if (scope === undefined) {
      reasons.push(
        `Watchtower runs with --scope ${flags.scope} but the orchestrator has no ${watchtowerScopeLabel} ` +
          "label, so Watchtower ignores it (the seed's compose file has exactly this bug)",
      );
    } else if (scope !== flags.scope) {
      reasons.push(
        `Watchtower runs with --scope ${flags.scope} but the orchestrator is labelled ` +
          `${watchtowerScopeLabel}=${scope}`,
      );
    }
  }
  return { selected: reasons.length === 0, reasons };
}

/** The version a Watchtower image carries: its OCI version label, else the reference's tag. */
export function watchtowerVersion(
  image: string,
  imageLabels: Readonly<Record<string, string>>,
): string | undefined {
  const labelled = imageLabels["org.opencontainers.image.version"];
  if (labelled !== undefined && labelled !== "") {
    return labelled;
  }
  const lastSegment = image.split("@")[0].split("/").pop() ?? "";
  const colon = lastSegment.indexOf(":");
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

/** Compares Docker API versions such as `1.41` and `1.44`. */
export function apiVersionAtLeast(version: string | undefined, wanted: string): boolean {
  if (version === undefined) {
    return false;
  }
  const [major = 0, minor = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  const [wantedMajor = 0, wantedMinor = 0] = wanted
    .split(".")
    .map((part) => Number.parseInt(part, 10));
  return major > wantedMajor || (major === wantedMajor && minor >= wantedMinor);
}
