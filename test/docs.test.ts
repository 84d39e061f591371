// The user-facing descriptions of the config stay complete: every key the program reads is
// described in Pulumi.yaml and in the README's config reference.
import { parse } from "yaml";

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { knownKeys } from "../components/config";
import {
  healthcheckSchema,
  hostSchema,
  imageSchema,
  loggingSchema,
  ollamaSchema,
  orchestratorSchema,
  sshSchema,
  watchtowerSchema,
} from "../components/configSchema";

const repoRoot = path.resolve(__dirname, "..");
const projectFile = fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8");
const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");

/** Every documented key path below the namespace, e.g. `hosts[].ssh`, `watchtower.scope`. */
const nestedKeys = [
  ...Object.keys(imageSchema.shape).map((key) => `image.${key}`),
  ...Object.keys(hostSchema.shape).map((key) => `hosts[].${key}`),
  ...Object.keys(orchestratorSchema.shape).map((key) => `orchestrator.${key}`),
  ...Object.keys(watchtowerSchema.shape).map((key) => `watchtower.${key}`),
  ...Object.keys(ollamaSchema.shape).map((key) => `ollama.${key}`),
  ...Object.keys(loggingSchema.shape).map((key) => `logging.${key}`),
];

describe("Pulumi.yaml", () => {
  const project = parse(projectFile) as {
    name: string;
    runtime: { name: string };
    config: Record<string, { type: string }>;
  };

  it("names the project and its Node.js runtime", () => {
    assert.equal(project.name, "orchestrator-fleet");
    assert.equal(project.runtime.name, "nodejs");
  });

  it("declares config only with the types Pulumi.yaml supports", () => {
    for (const [key, declaration] of Object.entries(project.config)) {
      assert.ok(["string", "integer", "boolean", "array"].includes(declaration.type), key);
    }
  });

  it("describes every top-level config key under config:", () => {
    const configBlock = projectFile.slice(projectFile.indexOf("\nconfig:"));
    for (const key of knownKeys) {
      assert.match(configBlock, new RegExp(`\\b${key}\\b`), `${key} is not described`);
    }
  });
});

describe("the README's config reference", () => {
  const reference = readme.slice(
    readme.indexOf("## Config reference"),
    readme.indexOf("## Living"),
  );

  it("lists every key the program reads", () => {
    const parents = new Set(nestedKeys.map((key) => key.split(/[.[]/)[0]));
    const topLevel = knownKeys.filter((key) => !parents.has(key));
    for (const key of [...topLevel, ...nestedKeys]) {
      assert.ok(
        reference.includes(`\`${key}\``),
        `${key} is missing from the README's config reference`,
      );
    }
  });

  it("names the default of every ssh and healthcheck setting", () => {
    for (const key of Object.keys(sshSchema.shape)) {
      assert.ok(reference.includes(key), `hosts[].ssh.${key}`);
    }
    for (const key of Object.keys(healthcheckSchema.shape)) {
      assert.ok(reference.includes(key), `orchestrator.healthcheck.${key}`);
    }
  });
});
