// The Docker provider reaches ssh:// hosts through the system `ssh` client, which reads keys
// from files or an agent, not from a string. A key from the stack's secret config is therefore
// written to a private file on the machine running Pulumi; only its path enters the state.
import * as pulumi from "@pulumi/pulumi";

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Files this process wrote, by path: every host of a site shares one key. */
const written = new Set<string>();

/** Writes the key (mode 0600, in a 0700 directory) once per process and returns its path. */
export function writeKeyFile(
  key: string,
  dir = path.join(os.tmpdir(), "orchestrator-fleet-ssh"),
): string {
  const digest = crypto.createHash("sha256").update(key).digest("hex").slice(0, 16);
  const file = path.join(dir, `key-${digest}`);
  if (written.has(file) && fs.existsSync(file)) {
    return file;
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // ssh refuses a key without a final newline, and one that others can read.
  fs.writeFileSync(file, key.endsWith("\n") ? key : `${key}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  written.add(file);
  return file;
}

/** The ssh options that make the Docker provider use the key. */
export function sshOptsForKey(key: pulumi.Output<string>): pulumi.Output<string[]> {
  // unsecret: the file's path is not sensitive, and a secret here would hide the whole provider
  // config in previews for no gain. The key itself never leaves the file.
  return pulumi.unsecret(
    key.apply((value) => ["-i", writeKeyFile(value), "-o", "IdentitiesOnly=yes"]),
  );
}
