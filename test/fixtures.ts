// Config values shared by the tests: a valid site to start from, and a config directory on disk.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type { RawConfigInput } from "../components/config";

/** A project directory with `config/<site>/api_registry.yaml`, made fresh in the temp dir. */
export function makeProjectDir(site = "acme-edge", registry = "apis: []\n"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-test-"));
  fs.mkdirSync(path.join(dir, "config", site), { recursive: true });
  fs.writeFileSync(path.join(dir, "config", site, "api_registry.yaml"), registry);
  return dir;
}

/** The smallest valid site: one local host. */
export function validValues(): Record<string, unknown> {
  return {
    site: "acme-edge",
    image: { owner: "acme" },
    hosts: [{ name: "edge-1" }],
  };
}

export function rawInput(
  values: Record<string, unknown>,
  projectDir: string,
  secretKeys: string[] = [],
): RawConfigInput {
  return { values, secretKeys: new Set(secretKeys), projectDir };
}
