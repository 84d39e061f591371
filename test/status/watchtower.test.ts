import assert from "node:assert/strict";
import { test } from "node:test";

import { watchtowerCommand } from "../../components/containerSpec";
import {
  apiVersionAtLeast,
  parseWatchtowerFlags,
  selection,
  watchtowerVersion,
} from "../../status/watchtower";
import type { WatchtowerFlags } from "../../status/types";

const enable = "com.centurylinklabs.watchtower.enable";
const scope = "com.centurylinklabs.watchtower.scope";

test("reads back the flags the program gives Watchtower", () => {
  const command = watchtowerCommand({
    image: "nickfedor/watchtower:1.21.0",
    containerName: "watchtower_orchestrator",
    intervalSeconds: 60,
    debug: true,
    scope: "orchestrator-cluster",
    cleanup: true,
    rollingRestart: true,
  });

  assert.deepEqual(parseWatchtowerFlags(command, {}), {
    labelEnable: true,
    scope: "orchestrator-cluster",
    intervalSeconds: 60,
    monitorOnly: false,
    apiOnly: false,
  });
});

test("reads each setting from flags in both spellings and from the environment", () => {
  const cases: [string, string[], Record<string, string>, object][] = [
    ["nothing set", [], {}, { labelEnable: false, scope: undefined, intervalSeconds: undefined }],
    [
      "--flag=value",
      ["--label-enable=true", "--scope=edge", "--interval=30"],
      {},
      { labelEnable: true, scope: "edge", intervalSeconds: 30 },
    ],
    ["short interval", ["-i", "45"], {}, { intervalSeconds: 45 }],
    [
      "environment",
      [],
      { WATCHTOWER_LABEL_ENABLE: "true", WATCHTOWER_SCOPE: "edge", WATCHTOWER_POLL_INTERVAL: "90" },
      { labelEnable: true, scope: "edge", intervalSeconds: 90 },
    ],
    [
      "a flag wins over the environment",
      ["--label-enable=false"],
      { WATCHTOWER_LABEL_ENABLE: "true" },
      { labelEnable: false },
    ],
    ["monitor only", ["--monitor-only"], {}, { monitorOnly: true }],
    ["http api without polls", ["--http-api-update"], {}, { apiOnly: true }],
    [
      "http api endpoints without polls",
      ["--http-api-endpoints", "update,metrics"],
      {},
      { apiOnly: true },
    ],
    [
      "http api with polls",
      ["--http-api-update", "--http-api-periodic-polls"],
      {},
      { apiOnly: false },
    ],
  ];
  for (const [label, args, env, expected] of cases) {
    const flags = parseWatchtowerFlags(args, env);
    const picked = Object.fromEntries(
      Object.keys(expected).map((key) => [key, flags[key as keyof typeof flags]]),
    );
    assert.deepEqual(picked, expected, label);
  }
});

test("decides whether Watchtower selects the orchestrator, with every reason it does not", () => {
  const flags: WatchtowerFlags = {
    labelEnable: true,
    scope: "orchestrator-cluster",
    monitorOnly: false,
    apiOnly: false,
  };
  const cases: [string, WatchtowerFlags, Record<string, string>, string[]][] = [
    ["the program's labels", flags, { [enable]: "true", [scope]: "orchestrator-cluster" }, []],
    [
      "the seed's compose file: enable label, no scope label",
      flags,
      { [enable]: "true" },
      [
        "Watchtower runs with --scope orchestrator-cluster but the orchestrator has no " +
          "com.centurylinklabs.watchtower.scope label, so Watchtower ignores it (the seed's compose file has exactly this bug)",
      ],
    ],
    [
      "another scope",
      flags,
      { [enable]: "true", [scope]: "other" },
      [
        "Watchtower runs with --scope orchestrator-cluster but the orchestrator is labelled com.centurylinklabs.watchtower.scope=other",
      ],
    ],
    [
      "no labels at all",
      flags,
      {},
      [
        "Watchtower runs with --label-enable but the orchestrator is not labelled com.centurylinklabs.watchtower.enable=true",
        "Watchtower runs with --scope orchestrator-cluster but the orchestrator has no " +
          "com.centurylinklabs.watchtower.scope label, so Watchtower ignores it (the seed's compose file has exactly this bug)",
      ],
    ],
    [
      "a pin's enable=false",
      { ...flags, scope: undefined },
      { [enable]: "false" },
      [
        "the orchestrator is labelled com.centurylinklabs.watchtower.enable=false, which always excludes it",
      ],
    ],
    [
      "no --label-enable and no scope: everything is watched",
      { labelEnable: false, monitorOnly: false, apiOnly: false },
      {},
      [],
    ],
  ];
  for (const [label, given, labels, reasons] of cases) {
    assert.deepEqual(selection(given, labels), { selected: reasons.length === 0, reasons }, label);
  }
});

test("takes Watchtower's version from its image label, else from the tag", () => {
  assert.equal(
    watchtowerVersion("nickfedor/watchtower:1.21.0", {
      "org.opencontainers.image.version": "v1.21.0",
    }),
    "v1.21.0",
  );
  assert.equal(watchtowerVersion("ghcr.io/nicholas-fedor/watchtower:1.21", {}), "1.21");
  assert.equal(watchtowerVersion("127.0.0.1:5000/watchtower", {}), undefined);
  assert.equal(watchtowerVersion("containrrr/watchtower@sha256:abc", {}), undefined);
});

test("compares Docker API versions by number, not as text", () => {
  assert.equal(apiVersionAtLeast("1.44", "1.44"), true);
  assert.equal(apiVersionAtLeast("1.52", "1.44"), true);
  assert.equal(apiVersionAtLeast("1.9", "1.44"), false);
  assert.equal(apiVersionAtLeast("1.12", "1.44"), false);
  assert.equal(apiVersionAtLeast(undefined, "1.44"), false);
});
