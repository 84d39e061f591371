// The generated stack config the benchmark evaluates: one site with N hosts, in turn an ssh host
// on the SSH agent, a local engine, and an ssh host on the stack's key (whose key file the Docker
// provider reads), so every path of FleetHost is measured in proportion. ssh hosts get their
// config directory copied over.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const benchSite = "bench-site";

/** The stack's secret SSH key (a stand-in: nothing connects under the mocks). */
export const benchSshKey =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nbench\n-----END OPENSSH PRIVATE KEY-----\n";

/** Stack config values for a site of `hosts` hosts: agent ssh, local, key ssh, in turn. */
export function benchConfigValues(hosts: number): Record<string, unknown> {
  const entries = Array.from({ length: hosts }, (_, index) => {
    const name = `edge-${String(index + 1).padStart(4, "0")}`;
    if (index % 3 === 1) {
      return { name, dockerSocket: `/run/docker-${index + 1}.sock`, address: `${name}.lan` };
    }
    const host = `${name}.sites.example`;
    return { name, ssh: { host, user: "deploy", useAgent: index % 3 === 0 } };
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
