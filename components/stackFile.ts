// Reads a committed Pulumi.<stack>.yaml the way the Pulumi CLI hands it to the program, so that
// tools outside `pulumi up` (tests of the shipped stacks, the fleet status command) validate it
// with the same schema. Encrypted values are never decrypted: only their presence is recorded.
import { parse } from "yaml";

import * as fs from "node:fs";

import type { RawConfigInput } from "./config";

export const projectName = "orchestrator-fleet";

function containsSecure(value: unknown): boolean {
  if (value === null || typeof value !== "object") {
    return false;
  }
  if (!Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) {
    return true;
  }
  return Object.values(value).some(containsSecure);
}

/** Parses a stack file's `config:` block into the program's raw config input. */
export function readStackFile(file: string, projectDir: string): RawConfigInput {
  const document = parse(fs.readFileSync(file, "utf8")) as {
    config?: Record<string, unknown>;
  } | null;
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [fullKey, value] of Object.entries(document?.config ?? {})) {
    const [namespace, key] = fullKey.split(":", 2);
    if (namespace !== projectName || key === undefined) {
      // Provider settings such as github:token belong to their providers, not to this schema.
      continue;
    }
    if (containsSecure(value)) {
      secretKeys.add(key);
    } else {
      values[key] = value;
    }
  }
  return { values, secretKeys, projectDir };
}
