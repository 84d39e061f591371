import assert from "node:assert/strict";
import { test } from "node:test";

import { assessHost, exitCodeOf, repositoryOf, unreachableHost } from "../../status/assess";
import type {
  ContainerFacts,
  EngineFacts,
  ExpectedHost,
  HostFacts,
  RegistryFacts,
} from "../../status/types";

const digestA = `sha256:${"a".repeat(64)}`;
const digestB = `sha256:${"b".repeat(64)}`;
const reference = "ghcr.io/acme/autonomy-orchestrator:autonomy-latest";

const expected: ExpectedHost = {
  host: "edge-1",
  engine: "ssh://deploy@edge-1:22",
  imageReference: reference,
  orchestratorName: "vtuber_orchestrator",
  watchtower: {
    containerName: "watchtower_orchestrator",
    image: "nickfedor/watchtower:1.21.0",
    scope: "orchestrator-cluster",
  },
};
const pinned: ExpectedHost = {
  ...expected,
  imageReference: `ghcr.io/acme/autonomy-orchestrator@${digestA}`,
  pinnedDigest: digestA,
};

const docker20: EngineFacts = { version: "20.10.24", apiVersion: "1.41", minApiVersion: "1.12" };
const docker29: EngineFacts = { version: "29.0.1", apiVersion: "1.52", minApiVersion: "1.44" };
const registry: RegistryFacts = { ok: true, digest: digestA, created: "2026-12-01T10:00:00Z" };

function container(overrides: Partial<ContainerFacts> = {}): ContainerFacts {
  return {
    id: "c0ffee",
    name: "vtuber_orchestrator",
    state: "running",
    exitCode: 0,
    health: "healthy",
    restartCount: 0,
    startedAt: "2026-12-01T11:00:00Z",
    image: reference,
    imageId: "sha256:1d",
    repoDigests: [`ghcr.io/acme/autonomy-orchestrator@${digestA}`],
    imageLabels: {},
    labels: {
      "com.centurylinklabs.watchtower.enable": "true",
      "com.centurylinklabs.watchtower.scope": "orchestrator-cluster",
    },
    args: [],
    env: {},
    ...overrides,
  };
}

function watchtower(overrides: Partial<ContainerFacts> = {}): ContainerFacts {
  return container({
    name: "watchtower_orchestrator",
    health: "none",
    image: "nickfedor/watchtower:1.21.0",
    repoDigests: [],
    labels: { "com.centurylinklabs.watchtower.scope": "orchestrator-cluster" },
    args: [
      "--label-enable",
      "--interval",
      "60",
      "--cleanup",
      "--scope",
      "orchestrator-cluster",
      "--rolling-restart",
    ],
    ...overrides,
  });
}

const healthy: HostFacts = {
  engine: docker20,
  orchestrator: container(),
  watchtower: watchtower(),
};

function messages(
  facts: HostFacts,
  against: RegistryFacts = registry,
  host: ExpectedHost = expected,
) {
  return assessHost(host, facts, against).problems.map(
    (problem) => `${problem.severity}: ${problem.message}`,
  );
}

test("a healthy host on the registry's digest, watched by Watchtower, is ok", () => {
  const report = assessHost(expected, healthy, registry);

  assert.equal(report.verdict, "ok");
  assert.deepEqual(report.update, { status: "current", wantedDigest: digestA });
  assert.deepEqual(report.problems, []);
});

test("any repo digest of the local image counts: a digest names content, not a registry", () => {
  const mirrored = {
    ...healthy,
    orchestrator: container({ repoDigests: [`mirror.local/acme/orch@${digestA}`] }),
  };

  assert.equal(assessHost(expected, mirrored, registry).update?.status, "current");
  assert.equal(
    repositoryOf("ghcr.io/acme/autonomy-orchestrator:autonomy-latest"),
    "ghcr.io/acme/autonomy-orchestrator",
  );
  assert.equal(repositoryOf("127.0.0.1:5000/acme/orch@sha256:1"), "127.0.0.1:5000/acme/orch");
});

test("an older digest is behind since the newer image was built", () => {
  const report = assessHost(
    expected,
    { ...healthy, orchestrator: container({ repoDigests: [`x/y@${digestB}`] }) },
    registry,
  );

  assert.deepEqual(report.update, {
    status: "behind",
    wantedDigest: digestA,
    behindSince: "2026-12-01T10:00:00Z",
  });
  assert.equal(report.verdict, "attention");
});

test("the archived containrrr/watchtower on Docker 29 is an error; elsewhere a warning", () => {
  const archived = watchtower({ image: "containrrr/watchtower:latest" });

  assert.deepEqual(
    messages({ engine: docker29, orchestrator: container(), watchtower: archived }),
    [
      "error: Watchtower runs the archived containrrr/watchtower:latest, which speaks Docker API 1.25; this engine " +
        "(Docker 29.0.1) accepts 1.44 and up, so it cannot update anything. Use nickfedor/watchtower:1.21.0 and run `pulumi up`",
    ],
  );
  const pinnedApi = watchtower({
    image: "containrrr/watchtower:latest",
    env: { DOCKER_API_VERSION: "1.44" },
  });
  const warning =
    "warning: Watchtower runs containrrr/watchtower:latest, archived on 2025-12-17 and broken on Docker 29 without " +
    "DOCKER_API_VERSION=1.44; move to nickfedor/watchtower:1.21.0";
  assert.deepEqual(
    messages({ engine: docker29, orchestrator: container(), watchtower: pinnedApi }),
    [warning],
  );
  assert.deepEqual(
    messages({ engine: docker20, orchestrator: container(), watchtower: archived }),
    [warning],
  );
});

test("a pin the stack declares is pinned on purpose: Watchtower ignoring it is right", () => {
  const orchestrator = container({
    image: pinned.imageReference,
    labels: {
      "com.centurylinklabs.watchtower.enable": "false",
      "com.centurylinklabs.watchtower.scope": "orchestrator-cluster",
    },
  });
  const report = assessHost(
    pinned,
    { engine: docker20, orchestrator, watchtower: watchtower() },
    registry,
  );

  assert.deepEqual(report.update, { status: "pinned", wantedDigest: digestA });
  assert.equal(report.watchtower?.selectsOrchestrator, false);
  assert.equal(report.verdict, "ok");
  assert.equal(exitCodeOf([report], { ok: false, reason: "offline" }, true), 0);
});

test("an image the stack does not declare is a mismatch", () => {
  assert.deepEqual(
    messages({
      ...healthy,
      orchestrator: container({ image: "ghcr.io/acme/autonomy-orchestrator:autonomy-abc123" }),
    }),
    [
      "error: vtuber_orchestrator runs ghcr.io/acme/autonomy-orchestrator:autonomy-abc123, but the stack declares " +
        "ghcr.io/acme/autonomy-orchestrator:autonomy-latest; run `pulumi up`",
    ],
  );
});

test("states and health other than running and healthy are errors, restarts a warning", () => {
  const cases: [string, Partial<ContainerFacts>, string[]][] = [
    [
      "exited",
      { state: "exited", exitCode: 137 },
      [
        "error: vtuber_orchestrator is exited (exit code 137); see `docker logs vtuber_orchestrator` " +
          "on edge-1, then `docker start vtuber_orchestrator` or `pulumi up`",
      ],
    ],
    [
      "starting",
      { health: "starting" },
      ["error: vtuber_orchestrator has not passed its healthcheck yet (starting)"],
    ],
    [
      "no healthcheck",
      { health: "none" },
      [
        "error: vtuber_orchestrator has no healthcheck, though the stack declares one: it was not created by this stack; run `pulumi up`",
      ],
    ],
    ["restarts", { restartCount: 4 }, ["warning: vtuber_orchestrator has restarted 4 times"]],
  ];
  for (const [label, overrides, expectedMessages] of cases) {
    assert.deepEqual(
      messages({ ...healthy, orchestrator: container(overrides) }),
      expectedMessages,
      label,
    );
  }
});

test("Watchtower's own problems: stopped, monitor-only, API-only, missing scope label, other image", () => {
  const cases: [string, Partial<ContainerFacts>, string[]][] = [
    [
      "stopped",
      { state: "exited" },
      [
        "error: Watchtower (watchtower_orchestrator) is exited; see `docker logs watchtower_orchestrator`",
      ],
    ],
    [
      "monitor only",
      { args: [...watchtower().args, "--monitor-only"] },
      ["error: Watchtower runs with --monitor-only: it reports new images but never updates"],
    ],
    [
      "api only",
      { args: [...watchtower().args, "--http-api-update"] },
      [
        "warning: Watchtower's HTTP update API is on without --http-api-periodic-polls: it updates only when called",
      ],
    ],
    [
      "no scope label on itself",
      { labels: {} },
      [
        "warning: Watchtower runs with --scope orchestrator-cluster but lacks the label " +
          "com.centurylinklabs.watchtower.scope=orchestrator-cluster that its docs ask for",
      ],
    ],
    [
      "another image",
      { image: "ghcr.io/nicholas-fedor/watchtower:1.20.0" },
      [
        "warning: Watchtower runs ghcr.io/nicholas-fedor/watchtower:1.20.0, but the stack declares nickfedor/watchtower:1.21.0",
      ],
    ],
  ];
  for (const [label, overrides, expectedMessages] of cases) {
    assert.deepEqual(
      messages({ ...healthy, watchtower: watchtower(overrides) }),
      expectedMessages,
      label,
    );
  }
});

test("a failed registry lookup leaves currency unknown and exits 2", () => {
  const failed: RegistryFacts = {
    ok: false,
    reason: "the registry at https://ghcr.io refused (HTTP 401)",
  };
  const report = assessHost(expected, healthy, failed);

  assert.deepEqual(report.update, { status: "unknown" });
  assert.deepEqual(report.problems, [
    {
      severity: "error",
      message:
        "cannot tell whether vtuber_orchestrator is current: the registry at https://ghcr.io refused (HTTP 401)",
    },
  ]);
  assert.equal(exitCodeOf([report], failed, false), 2);
});

test("exit code: 2 beats 1 beats 0", () => {
  const ok = assessHost(expected, healthy, registry);
  const attention = assessHost(expected, { engine: docker20 }, registry);
  const unchecked = unreachableHost(expected, "connect ECONNREFUSED 127.0.0.1:22");

  assert.equal(exitCodeOf([ok, ok], registry, false), 0);
  assert.equal(exitCodeOf([ok, attention], registry, false), 1);
  assert.equal(exitCodeOf([attention, unchecked], registry, false), 2);
  assert.deepEqual(unchecked.problems, [
    { severity: "error", message: "not checked: connect ECONNREFUSED 127.0.0.1:22" },
  ]);
});

test("a missing orchestrator and Watchtower both need pulumi up", () => {
  assert.deepEqual(messages({ engine: docker20 }), [
    "error: the orchestrator container vtuber_orchestrator is missing; run `pulumi up`",
    "error: Watchtower (watchtower_orchestrator) is missing: nothing updates the orchestrator on this host; run `pulumi up`",
  ]);
});

test("a digest reference the stack did not pin is a mismatch Watchtower never fixes", () => {
  const byHand = container({ image: `ghcr.io/acme/autonomy-orchestrator@${digestA}` });

  assert.deepEqual(messages({ ...healthy, orchestrator: byHand }), [
    `error: vtuber_orchestrator runs ghcr.io/acme/autonomy-orchestrator@${digestA}, but the stack declares ` +
      "ghcr.io/acme/autonomy-orchestrator:autonomy-latest (a digest reference, so Watchtower never updates it); run `pulumi up`",
  ]);
});
