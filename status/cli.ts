// `npm run status -- --stack <name>`: what every host of a site is really running, checked against
// the registry and against what the stack declares. Reads Pulumi.<stack>.yaml through the
// program's own schema, so a stack that `pulumi up` would reject is rejected here too.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";

import { parseFleetConfig } from "../components/config";
import { readStackFile } from "../components/stackFile";
import { checkFleet } from "./fleet";
import { renderJson, renderTable } from "./render";

const usage = `Usage: npm run status -- --stack <name> [options]
       orchestrator-fleet-status --stack <name> [options]

Reports, for every host of the stack's site, the orchestrator container (state, health, restarts,
start time, digest), whether it runs the digest the registry now serves for the tag, and whether
Watchtower will keep it there.

Options:
  --stack <name>         the stack: reads Pulumi.<name>.yaml (required)
  --json                 print the report as JSON
  --project-dir <dir>    where Pulumi.yaml and the stack files are (default: the current directory)
  --timeout <seconds>    give up on a host after this long (default: 10)
  --registry-url <url>   ask this registry API instead of the image's registry (a mirror)
  --identity <file>      private key for ssh hosts without useAgent (default: the SSH agent)
  --no-color             no colour even on a terminal (also NO_COLOR=1)
  --help                 this text

Environment:
  FLEET_STATUS_REGISTRY_TOKEN  token for a private package (GHCR: read:packages)
  FLEET_STATUS_REGISTRY_USER   the token's user (default: the stack's registryUser)
  FLEET_STATUS_REGISTRY_URL    as --registry-url
  SSH_AUTH_SOCK                the SSH agent, as for docker -H ssh://...

Exit codes: 0 every host current and healthy; 1 any host needs attention; 2 anything could not
be checked (unreachable host, registry lookup failed, bad arguments or stack config).
`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

class UsageError extends Error {}

function parseCli(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        json: { type: "boolean", default: false },
        "project-dir": { type: "string" },
        timeout: { type: "string" },
        "registry-url": { type: "string" },
        identity: { type: "string" },
        "no-color": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  const timeout = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new UsageError(
      `--timeout must be a number of seconds above 0; received "${values.timeout}"`,
    );
  }
  return { ...values, timeoutSeconds: timeout };
}

function stackFileOf(projectDir: string, stack: string): string {
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(file)) {
    return file;
  }
  const stacks = fs.existsSync(projectDir)
    ? fs
        .readdirSync(projectDir)
        .map((name) => /^Pulumi\.(.+)\.yaml$/.exec(name)?.[1])
        .filter((name): name is string => name !== undefined)
    : [];
  const known = stacks.length > 0 ? `stacks there: ${stacks.join(", ")}` : "no stack files there";
  throw new UsageError(`no stack file ${file} (${known}); pass --project-dir for another project`);
}

/** An environment variable that is set to something; an empty one counts as unset. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseCli(argv);
    if (args.help) {
      io.stdout(usage);
      return 0;
    }
    if (args.stack === undefined || args.stack === "") {
      throw new UsageError("--stack <name> is required");
    }
  } catch (error) {
    io.stderr(`status: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }

  const projectDir = path.resolve(io.cwd, args["project-dir"] ?? ".");
  let config;
  let identity: string | undefined;
  try {
    config = parseFleetConfig(readStackFile(stackFileOf(projectDir, args.stack), projectDir));
    identity =
      args.identity === undefined
        ? undefined
        : fs.readFileSync(path.resolve(io.cwd, args.identity), "utf8");
  } catch (error) {
    io.stderr(`status: ${(error as Error).message}\n`);
    return 2;
  }

  const report = await checkFleet(config, {
    stack: args.stack,
    hostTimeoutMs: args.timeoutSeconds * 1000,
    registryUrl: args["registry-url"] ?? nonEmpty(io.env.FLEET_STATUS_REGISTRY_URL),
    registryToken: nonEmpty(io.env.FLEET_STATUS_REGISTRY_TOKEN),
    registryUser: nonEmpty(io.env.FLEET_STATUS_REGISTRY_USER),
    sshPrivateKey: identity,
    env: io.env,
  });
  // https://no-color.org: any non-empty NO_COLOR turns colour off.
  const colour = io.isTty && !args["no-color"] && nonEmpty(io.env.NO_COLOR) === undefined;
  io.stdout(args.json ? renderJson(report) : renderTable(report, { colour }));
  return report.exitCode;
}

/** Runs the command in this process and exits with its code. */
export function run(): void {
  void main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  }).then((code) => {
    // Exit explicitly: a host that timed out may still hold a socket open.
    process.stdout.write("", () => process.exit(code));
  });
}

if (require.main === module) {
  run();
}
