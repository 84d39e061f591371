// The generated stack config the benchmark evaluates: one site with N hosts, alternating between
// ssh hosts (reached through the SSH agent, so their config directory is copied over) and local
// engines, so both paths of FleetHost are measured in proportion.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const benchSite = "bench-site";

// TODO(#5): ssh hosts here use the agent only. Hosts on the stack's sshPrivateKey, which write
// the key file once per host (components/fleetHost.ts:88), are not measured.

/** Stack config values for a site of `hosts` hosts; even indices are ssh hosts, odd ones local. */
export function benchConfigValues(hosts: number): Record<string, unknown> {
  const entries = Array.from({ length: hosts }, (_, index) => {
    const name = `edge-${String(index + 1).padStart(4, "0")}`;
    if (index % 2 === 0) {
      const address = `10.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;
      return { name, ssh: { host: address, user: "deploy", useAgent: true } };
    }
    return { name, dockerSocket: `/run/docker-${index + 1}.sock`, address: `${name}.lan` };
  });
  return { site: benchSite, image: { owner: "acme" }, hosts: entries };
}

/** A project directory holding the site's config directory, as a real checkout would. */
export function makeBenchProjectDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-bench-"));
  const configDir = path.join(dir, "config", benchSite);
  fs.mkdirSync(configDir, { recursive: true });
  fs.writeFileSync(
    path.join(configDir, "api_registry.yaml"),
    "apis:\n  - name: chat\n    url: http://chat.internal:9000\n",
  );
  return dir;
}
