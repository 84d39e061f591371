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
import { isArchivedWatchtower } from "../components/containerSpec";
import { watchtowerEnableLabel, watchtowerScopeLabel } from "../components/labels";
import type {
  ContainerFacts,
  EngineFacts,
  ExpectedHost,
  Problem,
  WatchtowerFlags,
  WatchtowerReport,
} from "./types";

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

/** Watchtower's part of a host's report, and what is wrong with it. */
export function assessWatchtower(
  expected: ExpectedHost,
  engine: EngineFacts,
  watchtower: ContainerFacts | undefined,
  orchestrator: ContainerFacts | undefined,
): { report: WatchtowerReport; problems: Problem[] } {
  const name = expected.watchtower.containerName;
  const autoUpdate = expected.pinnedDigest === undefined;
  const severity = autoUpdate ? "error" : "warning";
  if (watchtower === undefined) {
    const consequence = autoUpdate
      ? "nothing updates the orchestrator on this host"
      : "the pin does not need it";
    return {
      report: { containerName: name, present: false },
      problems: [
        { severity, message: `Watchtower (${name}) is missing: ${consequence}; run \`pulumi up\`` },
      ],
    };
  }

  const problems: Problem[] = [];
  const flags = parseWatchtowerFlags(watchtower.args, watchtower.env);
  const selected = orchestrator === undefined ? undefined : selection(flags, orchestrator.labels);
  if (watchtower.state !== "running") {
    problems.push({
      severity,
      message: `Watchtower (${name}) is ${watchtower.state}; see \`docker logs ${name}\``,
    });
  }
  // The archived containrrr/watchtower speaks Docker API 1.25; Docker Engine 29 accepts 1.44 and
  // up (moby/moby#51186, containrrr/watchtower#2122), so there it fails unless DOCKER_API_VERSION
  // is 1.44 or higher in its environment.
  if (isArchivedWatchtower(watchtower.image)) {
    const pinnedApi = apiVersionAtLeast(watchtower.env.DOCKER_API_VERSION, "1.44");
    if (apiVersionAtLeast(engine.minApiVersion, "1.44") && !pinnedApi) {
      problems.push({
        severity: "error",
        message:
          `Watchtower runs the archived ${watchtower.image}, which speaks Docker API 1.25; this engine ` +
          `(Docker ${engine.version}) accepts ${engine.minApiVersion} and up, so it cannot update anything. ` +
          `Use ${expected.watchtower.image} and run \`pulumi up\``,
      });
    } else {
      problems.push({
        severity: "warning",
        message:
          `Watchtower runs ${watchtower.image}, archived on 2025-12-17 and broken on Docker 29 without ` +
          `DOCKER_API_VERSION=1.44; move to ${expected.watchtower.image}`,
      });
    }
  } else if (watchtower.image !== expected.watchtower.image) {
    problems.push({
      severity: "warning",
      message: `Watchtower runs ${watchtower.image}, but the stack declares ${expected.watchtower.image}`,
    });
  }
  if (flags.scope !== undefined && watchtower.labels[watchtowerScopeLabel] !== flags.scope) {
    problems.push({
      severity: "warning",
      message:
        `Watchtower runs with --scope ${flags.scope} but lacks the label ` +
        `${watchtowerScopeLabel}=${flags.scope} that its docs ask for`,
    });
  }
  if (autoUpdate && selected !== undefined && !selected.selected) {
    for (const reason of selected.reasons) {
      problems.push({
        severity: "error",
        message: `Watchtower will not update the orchestrator: ${reason}`,
      });
    }
  }
  if (autoUpdate && flags.monitorOnly) {
    problems.push({
      severity: "error",
      message: "Watchtower runs with --monitor-only: it reports new images but never updates",
    });
  }
  if (autoUpdate && flags.apiOnly) {
    problems.push({
      severity: "warning",
      message:
        "Watchtower's HTTP update API is on without --http-api-periodic-polls: it updates only when called",
    });
  }

  return {
    report: {
      containerName: name,
      present: true,
      state: watchtower.state,
      image: watchtower.image,
      version: watchtowerVersion(watchtower.image, watchtower.imageLabels),
      flags,
      selectsOrchestrator: selected?.selected,
    },
    problems,
  };
}
