// Reads this project's stack config from the Pulumi engine, once, for index.ts: plain values for
// validation, and the secret values as secret Outputs that never pass through the schema.
import * as pulumi from "@pulumi/pulumi";

import type { RawConfigInput } from "./config";
import { secretKeys } from "./config";
import { projectName } from "./stackFile";

// isConfigSecret is exported by the SDK's runtime but missing from its type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as {
  isConfigSecret(key: string): boolean;
};

export interface PulumiConfigInput {
  readonly raw: RawConfigInput;
  /** The secret settings that are set, as secret Outputs. */
  readonly secrets: Partial<Record<(typeof secretKeys)[number], pulumi.Output<string>>>;
  /** The registry user, secret when it was set as one. */
  readonly registryUser?: pulumi.Output<string>;
  /** The Actions secrets of the build workflow's repository, as one secret Output. */
  readonly workflowSecrets?: pulumi.Output<Record<string, string>>;
  /** The GitHub provider's `github:token`, when the stack sets one. */
  readonly githubToken?: pulumi.Output<string>;
}

function parseValue(value: string): unknown {
  // The CLI hands objects, lists, numbers and booleans to the program as JSON text.
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function readPulumiConfig(projectDir: string): PulumiConfigInput {
  const values: Record<string, unknown> = {};
  const secretValues: Record<string, unknown> = {};
  const secretKeySet = new Set<string>();
  const prefix = `${projectName}:`;
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) {
      continue;
    }
    const key = fullKey.slice(prefix.length);
    if (isConfigSecret(fullKey)) {
      secretKeySet.add(key);
      if (key === "workflowSecrets") {
        // Validated for names, types and sizes; its values never appear in a message.
        secretValues[key] = parseValue(value);
      }
    } else {
      values[key] = parseValue(value);
    }
  }

  const config = new pulumi.Config(projectName);
  const secrets: PulumiConfigInput["secrets"] = {};
  for (const key of secretKeys) {
    if (secretKeySet.has(key)) {
      secrets[key] = config.requireSecret(key);
    }
  }
  const registryUser = secretKeySet.has("registryUser")
    ? config.requireSecret("registryUser")
    : typeof values.registryUser === "string"
      ? pulumi.output(values.registryUser)
      : undefined;
  const workflowSecrets = secretKeySet.has("workflowSecrets")
    ? config.requireSecretObject<Record<string, string>>("workflowSecrets")
    : undefined;
  return {
    raw: { values, secretKeys: secretKeySet, secretValues, projectDir },
    secrets,
    registryUser,
    workflowSecrets,
    githubToken: new pulumi.Config("github").getSecret("token"),
  };
}
