// Judges one host from the facts read off its engine and the registry: is the orchestrator there,
// healthy, on the digest it should run, and will Watchtower keep it there. Pure: no engine, no
// network, so every verdict is tested on plain values.
import type {
  ContainerFacts,
  ExpectedHost,
  HostFacts,
  HostReport,
  OrchestratorReport,
  Problem,
  RegistryFacts,
  UpdateReport,
} from "./types";
import { assessWatchtower } from "./watchtower";

/** The part of a reference before its tag or digest. */
export function repositoryOf(reference: string): string {
  const withoutDigest = reference.split("@")[0];
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

/**
 * The digest the container runs. A digest names content, so any repo digest of the local image
 * counts; the one from the expected repository is preferred for display.
 */
export function runningDigests(container: ContainerFacts, expectedRepository: string): string[] {
  const entries = container.repoDigests.map((entry) => ({
    repository: entry.split("@")[0],
    digest: entry.split("@")[1] ?? "",
  }));
  entries.sort(
    (a, b) =>
      Number(b.repository === expectedRepository) - Number(a.repository === expectedRepository),
  );
  return [...new Set(entries.map((entry) => entry.digest).filter((digest) => digest !== ""))];
}

function short(digest: string | undefined): string {
  // "sha256:" and 12 hex digits, as `docker images --digests` abbreviates.
  return digest === undefined ? "none" : digest.slice(0, 19);
}

function orchestratorProblems(expected: ExpectedHost, container: ContainerFacts): Problem[] {
  const problems: Problem[] = [];
  const name = expected.orchestratorName;
  if (container.state !== "running") {
    problems.push({
      severity: "error",
      message:
        `${name} is ${container.state} (exit code ${container.exitCode}); see \`docker logs ${name}\` on ` +
        `${expected.host}, then \`docker start ${name}\` or \`pulumi up\``,
    });
  } else if (container.health === "unhealthy") {
    const output = container.lastHealthOutput ? `; last probe: ${container.lastHealthOutput}` : "";
    problems.push({
      severity: "error",
      message: `${name} is unhealthy: /health on port 8080 fails${output}`,
    });
  } else if (container.health === "starting") {
    problems.push({
      severity: "error",
      message: `${name} has not passed its healthcheck yet (starting)`,
    });
  } else if (container.health === "none") {
    problems.push({
      severity: "error",
      message: `${name} has no healthcheck, though the stack declares one: it was not created by this stack; run \`pulumi up\``,
    });
  }
  if (container.restartCount > 0) {
    problems.push({
      severity: "warning",
      message: `${name} has restarted ${container.restartCount} times`,
    });
  }
  return problems;
}

function assessUpdate(
  expected: ExpectedHost,
  container: ContainerFacts,
  registry: RegistryFacts,
): { update: UpdateReport; digest?: string; problems: Problem[] } {
  const digests = runningDigests(container, repositoryOf(expected.imageReference));
  const digest = digests[0];
  const name = expected.orchestratorName;
  if (container.image !== expected.imageReference) {
    return {
      update: {
        status: "mismatch",
        wantedDigest: expected.pinnedDigest ?? (registry.ok ? registry.digest : undefined),
      },
      digest,
      problems: [
        {
          severity: "error",
          message:
            `${name} runs ${container.image}, but the stack declares ${expected.imageReference}` +
            // The fork skips repo@sha256 references as pinned (nicholas-fedor/watchtower
            // pkg/container/container_target.go).
            (container.image.includes("@sha256:") && expected.pinnedDigest === undefined
              ? " (a digest reference, so Watchtower never updates it)"
              : "") +
            "; run `pulumi up`",
        },
      ],
    };
  }
  if (expected.pinnedDigest !== undefined) {
    // The reference itself names the digest, so the engine cannot run anything else under it.
    return {
      update: { status: "pinned", wantedDigest: expected.pinnedDigest },
      digest: digest ?? expected.pinnedDigest,
      problems: [],
    };
  }
  if (!registry.ok) {
    return {
      update: { status: "unknown" },
      digest,
      problems: [
        {
          severity: "error",
          message: `cannot tell whether ${name} is current: ${registry.reason}`,
        },
      ],
    };
  }
  if (digests.length === 0) {
    return {
      update: { status: "mismatch", wantedDigest: registry.digest },
      problems: [
        {
          severity: "error",
          message:
            `${name}'s image has no registry digest (it was built or loaded on the host, not pulled); ` +
            `pull ${expected.imageReference} and run \`pulumi up\``,
        },
      ],
    };
  }
  if (digests.includes(registry.digest)) {
    return {
      update: { status: "current", wantedDigest: registry.digest },
      digest: registry.digest,
      problems: [],
    };
  }
  return {
    update: { status: "behind", wantedDigest: registry.digest, behindSince: registry.created },
    digest,
    problems: [
      {
        severity: "error",
        message:
          `${name} runs ${short(digest)}, but the registry serves ${short(registry.digest)} for ` +
          `${expected.imageReference}${registry.created ? ` (built ${registry.created})` : ""}; ` +
          "Watchtower has not updated it yet",
      },
    ],
  };
}

/** The report of a host that answered. */
export function assessHost(
  expected: ExpectedHost,
  facts: HostFacts,
  registry: RegistryFacts,
): HostReport {
  const problems: Problem[] = [];
  let orchestrator: OrchestratorReport = {
    containerName: expected.orchestratorName,
    present: false,
  };
  let update: UpdateReport = { status: "absent" };
  const container = facts.orchestrator;
  if (container === undefined) {
    problems.push({
      severity: "error",
      message: `the orchestrator container ${expected.orchestratorName} is missing; run \`pulumi up\``,
    });
  } else {
    const assessed = assessUpdate(expected, container, registry);
    update = assessed.update;
    orchestrator = {
      containerName: expected.orchestratorName,
      present: true,
      state: container.state,
      health: container.health,
      restartCount: container.restartCount,
      startedAt: container.startedAt,
      image: container.image,
      digest: assessed.digest,
    };
    problems.push(...orchestratorProblems(expected, container), ...assessed.problems);
  }

  const watchtower = assessWatchtower(expected, facts.engine, facts.watchtower, container);
  problems.push(...watchtower.problems);
  return {
    host: expected.host,
    engine: expected.engine,
    verdict: problems.some((problem) => problem.severity === "error") ? "attention" : "ok",
    engineVersion: facts.engine.version,
    orchestrator,
    update,
    watchtower: watchtower.report,
    problems,
  };
}

/** The report of a host whose engine did not answer. */
export function unreachableHost(expected: ExpectedHost, reason: string): HostReport {
  return {
    host: expected.host,
    engine: expected.engine,
    verdict: "unchecked",
    unreachable: reason,
    problems: [{ severity: "error", message: `not checked: ${reason}` }],
  };
}

/**
 * 2 when anything could not be checked (a host, or the registry while the stack follows a tag),
 * else 1 when any host needs attention, else 0.
 */
export function exitCodeOf(
  hosts: readonly HostReport[],
  registry: RegistryFacts,
  pinned: boolean,
): 0 | 1 | 2 {
  if (hosts.some((host) => host.verdict === "unchecked") || (!registry.ok && !pinned)) {
    return 2;
  }
  return hosts.some((host) => host.verdict !== "ok") ? 1 : 0;
}
