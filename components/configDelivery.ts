// Delivers a site's config directory to a remote host over SSH, so the orchestrator container on
// that host can bind-mount it read-only. Every file is copied again whenever any file changes,
// after the directory was emptied, so files removed locally disappear on the host too.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

import * as path from "node:path";

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface ConfigDeliveryArgs {
  /** How to reach the host. */
  readonly connection: command.types.input.remote.ConnectionArgs;
  /** The directory on this machine. */
  readonly localDir: string;
  /** Its files, relative to `localDir`. */
  readonly files: readonly string[];
  /** A hash of the directory's content; a change copies everything again. */
  readonly contentHash: string;
  /** The absolute directory on the host that receives the files (and is wiped first). */
  readonly remoteDir: string;
}

export class ConfigDelivery extends pulumi.ComponentResource {
  /** The directory on the host, known once every file is there. */
  readonly remoteDir: pulumi.Output<string>;

  constructor(name: string, args: ConfigDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orchestrator-fleet:host:ConfigDelivery", name, {}, opts);

    const directories = new Set([args.remoteDir]);
    for (const file of args.files) {
      directories.add(path.posix.dirname(path.posix.join(args.remoteDir, file)));
    }
    const prepare = new command.remote.Command(
      `${name}-prepare`,
      {
        connection: args.connection,
        create: [
          "set -eu",
          `rm -rf ${shellQuote(args.remoteDir)}`,
          `mkdir -p ${[...directories].sort().map(shellQuote).join(" ")}`,
        ].join("; "),
        triggers: [args.contentHash, args.remoteDir],
      },
      { parent: this },
    );

    const copies = args.files.map(
      (file) =>
        new command.remote.CopyToRemote(
          `${name}-file-${file.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase()}`,
          {
            connection: args.connection,
            source: new pulumi.asset.FileAsset(path.join(args.localDir, file)),
            remotePath: path.posix.join(args.remoteDir, file),
            triggers: [args.contentHash],
          },
          { parent: this, dependsOn: [prepare] },
        ),
    );

    this.remoteDir = pulumi.all(copies.map((copy) => copy.remotePath)).apply(() => args.remoteDir);
    this.registerOutputs({ remoteDir: this.remoteDir });
  }
}
