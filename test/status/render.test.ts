import assert from "node:assert/strict";
import { test } from "node:test";

import { renderJson, renderTable, shortTime } from "../../status/render";
import type { FleetReport } from "../../status/types";

const digestA = `sha256:3f1c0e2b9a7d${"1".repeat(52)}`;
const digestB = `sha256:9a4e77c01b2f${"2".repeat(52)}`;

const report: FleetReport = {
  stack: "acme-edge",
  site: "acme-edge",
  image: "ghcr.io/acme/autonomy-orchestrator:autonomy-latest",
  registry: {
    ok: true,
    digest: digestA,
    created: "2026-12-03T09:41:07.5Z",
    url: "https://ghcr.io",
  },
  checkedAt: "2026-12-03T10:15:00.000Z",
  hosts: [
    {
      host: "edge-1",
      engine: "ssh://deploy@edge-1.example.internal:22",
      verdict: "ok",
      engineVersion: "29.0.1",
      orchestrator: {
        containerName: "vtuber_orchestrator",
        present: true,
        state: "running",
        health: "healthy",
        restartCount: 0,
        startedAt: "2026-12-03T09:43:12.123456789Z",
        image: "ghcr.io/acme/autonomy-orchestrator:autonomy-latest",
        digest: digestA,
      },
      update: { status: "current", wantedDigest: digestA },
      watchtower: {
        containerName: "watchtower_orchestrator",
        present: true,
        state: "running",
        image: "nickfedor/watchtower:1.21.0",
        version: "1.21.0",
        flags: {
          labelEnable: true,
          scope: "orchestrator-cluster",
          intervalSeconds: 60,
          monitorOnly: false,
          apiOnly: false,
        },
        selectsOrchestrator: true,
      },
      problems: [],
    },
    {
      host: "edge-2",
      engine: "ssh://deploy@edge-2.example.internal:22",
      verdict: "attention",
      engineVersion: "29.0.1",
      orchestrator: {
        containerName: "vtuber_orchestrator",
        present: true,
        state: "running",
        health: "unhealthy",
        restartCount: 2,
        startedAt: "2026-11-28T16:02:40Z",
        image: "ghcr.io/acme/autonomy-orchestrator:autonomy-latest",
        digest: digestB,
      },
      update: { status: "behind", wantedDigest: digestA, behindSince: "2026-12-03T09:41:07.5Z" },
      watchtower: { containerName: "watchtower_orchestrator", present: false },
      problems: [
        {
          severity: "error",
          message: "vtuber_orchestrator is unhealthy: /health on port 8080 fails",
        },
        { severity: "warning", message: "vtuber_orchestrator has restarted 2 times" },
      ],
    },
    {
      host: "edge-3",
      engine: "ssh://deploy@edge-3.example.internal:22",
      verdict: "unchecked",
      unreachable: "the engine did not answer within 10 s",
      problems: [
        { severity: "error", message: "not checked: the engine did not answer within 10 s" },
      ],
    },
  ],
  exitCode: 2,
};

test("renders a plain table, then every problem by host, then the summary", () => {
  assert.equal(
    renderTable(report, { colour: false }),
    [
      "Site acme-edge (stack acme-edge), checked 2026-12-03 10:15Z",
      "Image     ghcr.io/acme/autonomy-orchestrator:autonomy-latest",
      "Registry  sha256:3f1c0e2b9a7d (built 2026-12-03 09:41Z) from https://ghcr.io",
      "",
      "HOST    ORCHESTRATOR        RESTARTS  STARTED            DIGEST               UPDATE                          WATCHTOWER",
      "edge-1  running, healthy    0         2026-12-03 09:43Z  sha256:3f1c0e2b9a7d  current                         1.21.0, watches it",
      "edge-2  running, unhealthy  2         2026-11-28 16:02Z  sha256:9a4e77c01b2f  behind since 2026-12-03 09:41Z  missing",
      "edge-3  unreachable",
      "",
      "Problems",
      "  edge-2  error    vtuber_orchestrator is unhealthy: /health on port 8080 fails",
      "  edge-2  warning  vtuber_orchestrator has restarted 2 times",
      "  edge-3  error    not checked: the engine did not answer within 10 s",
      "",
      "1 of 3 hosts current and healthy, 1 not checked (exit 2)",
      "",
    ].join("\n"),
  );
});

test("colours only when asked, and the colours wrap the padded cells", () => {
  const coloured = renderTable(report, { colour: true });

  assert.ok(coloured.includes("\u001b[32mrunning, healthy  \u001b[0m"));
  assert.ok(coloured.includes("\u001b[31mbehind since 2026-12-03 09:41Z\u001b[0m"));
  assert.ok(!renderTable(report, { colour: false }).includes("\u001b"));
});

test("prints the report itself as JSON", () => {
  assert.deepEqual(JSON.parse(renderJson(report)), report);
});

test("shortens engine timestamps with nanoseconds and leaves odd ones alone", () => {
  assert.equal(shortTime("2026-12-03T09:43:12.123456789Z"), "2026-12-03 09:43Z");
  assert.equal(shortTime("2026-12-03T10:43:12+01:00"), "2026-12-03 09:43Z");
  assert.equal(shortTime(undefined), "-");
  assert.equal(shortTime("yesterday"), "yesterday");
});
