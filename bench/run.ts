// `npm run bench`: evaluates the program under Pulumi's mocks for growing sites, each run in a
// fresh process, next to a baseline of as many bare resources; prints a table and the change
// against the last results, and writes bench/results.json.
//   npm run bench -- [--sizes 1,10,100,1000] [--repeat 3] [--typed] [--results path]
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs, promisify } from "node:util";

import type { Measurement, Mode } from "./evaluate";
import type { Results, RunResult } from "./report";
import { formatChanges, formatGoals, formatTable, summarise } from "./report";

const run = promisify(execFile);

const repoRoot = path.resolve(__dirname, "..");
const evaluateScript = path.join(__dirname, "evaluate.ts");

/** A child that takes longer than this is stuck, not slow (1000 hosts take about a minute). */
const childTimeoutMs = 10 * 60 * 1000;

async function measure(mode: Mode, hosts: number, resources?: number): Promise<Measurement> {
  const args = ["--expose-gc", "--import", "tsx", evaluateScript, "--mode", mode];
  args.push("--hosts", String(hosts), ...(resources ? ["--resources", String(resources)] : []));
  try {
    const { stdout } = await run(process.execPath, args, {
      cwd: repoRoot,
      timeout: childTimeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as Measurement;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`${mode} with ${hosts} hosts failed:\n${stderr.slice(-2000)}`, {
      cause: error,
    });
  }
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "1,10,100,1000" },
      repeat: { type: "string", default: "3" },
      typed: { type: "boolean", default: false },
      results: { type: "string", default: path.join(__dirname, "results.json") },
    },
  });
  const sizes = values.sizes.split(",").map(Number);
  const repeat = Number(values.repeat);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1) || !(repeat >= 1)) {
    throw new Error(`--sizes must list positive integers and --repeat be at least 1`);
  }
  return { sizes, repeat, typed: values.typed, resultsPath: path.resolve(values.results) };
}

function readPrevious(resultsPath: string): Results | undefined {
  if (!fs.existsSync(resultsPath)) {
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(resultsPath, "utf8")) as Results;
  } catch (error) {
    console.warn(`ignoring unreadable previous results ${resultsPath}: ${String(error)}`);
    return undefined;
  }
}

async function measureSize(hosts: number, repeat: number, typed: boolean): Promise<RunResult> {
  const program: Measurement[] = [];
  const baseline: Measurement[] = [];
  const typedRuns: Measurement[] = [];
  // Interleaved, so that load from other processes falls on both sides alike.
  for (let index = 0; index < repeat; index++) {
    program.push(await measure("program", hosts));
    if (program[index].resources !== program[0].resources) {
      throw new Error(
        `the program declared ${program[0].resources}, then ${program[index].resources} ` +
          `resources for ${hosts} hosts; the baseline needs one fixed count`,
      );
    }
    baseline.push(await measure("baseline", hosts, program[0].resources));
    if (typed) {
      typedRuns.push(await measure("typed", hosts));
    }
    console.error(
      `  ${hosts} hosts, run ${index + 1}/${repeat}: program ${program[index].wallMs} ms, ` +
        `baseline ${baseline[index].wallMs} ms` +
        (typed ? `, typed ${typedRuns[index].wallMs} ms` : ""),
    );
  }
  return summarise(program, baseline, typedRuns);
}

async function main(): Promise<void> {
  const { sizes, repeat, typed, resultsPath } = parseOptions();
  const previous = readPrevious(resultsPath);
  const started = performance.now();
  console.error(`bench: sizes ${sizes.join(", ")}, median of ${repeat}, one process per run`);

  // One discarded run, so the first measured process does not pay for a cold disk cache and
  // tsx's transpile cache.
  const warmUp = await measure("program", 10);
  const runs: RunResult[] = [];
  for (const hosts of sizes) {
    runs.push(await measureSize(hosts, repeat, typed));
  }

  const results: Results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    heapLimitMb: warmUp.heapLimitMb,
    repeat,
    ...(process.env.NODE_OPTIONS ? { nodeOptions: process.env.NODE_OPTIONS } : {}),
    runs,
  };
  console.log(formatTable(runs));
  console.log();
  for (const line of formatGoals(runs)) {
    console.log(line);
  }
  if (previous) {
    console.log(`\nagainst ${path.relative(repoRoot, resultsPath)} of ${previous.date}:`);
    for (const line of formatChanges(previous, results)) {
      console.log(`  ${line}`);
    }
  }
  fs.writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`\nwrote ${path.relative(repoRoot, resultsPath)} (${seconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
