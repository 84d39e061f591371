// One measurement in a fresh process, so that its peak memory is its own. Evaluates the program,
// or one of its baselines, under the shared Pulumi mocks and prints one JSON line on stdout:
//   node --expose-gc --import tsx bench/evaluate.ts --mode program --hosts 100
//   node --expose-gc --import tsx bench/evaluate.ts --mode baseline --hosts 100 --resources 951
//   node --expose-gc --import tsx bench/evaluate.ts --mode typed --hosts 100
import type { PerformanceEntry } from "node:perf_hooks";
import { PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import * as v8 from "node:v8";

import { declareProgram } from "../components/program";
import { readPulumiConfig } from "../components/pulumiConfig";
import { promiseOf, recorded, settle, setupMocks } from "../test/mocks";
import { declareBareResources, declareTypedResources } from "./baselines";
import { benchConfigValues, benchSshKey, makeBenchProjectDir } from "./fleetConfig";

export const modes = ["program", "baseline", "typed"] as const;
export type Mode = (typeof modes)[number];

export interface Measurement {
  mode: Mode;
  hosts: number;
  /** Registrations that reached the mock monitor: components, providers and custom resources. */
  resources: number;
  /** Resource hooks bound: one per host in the program, none in the baselines. */
  hooks: number;
  wallMs: number;
  /** Of wallMs, the time the garbage collector paused the program. */
  gcMs: number;
  /** The process's peak resident memory, module loading and warm-up included. */
  peakRssMb: number;
  /** Resident memory when the measured evaluation started, after the warm-up and a full GC. */
  startRssMb: number;
  /** V8's heap limit: an evaluation whose peak nears it fails with "heap out of memory". */
  heapLimitMb: number;
}

// TODO(#5): this runs under tsx's source maps. `pulumi preview` runs the program through ts-node
// with source-map-support (@pulumi/pulumi/cmd/run/index.js), whose formatting of the SDK's debug
// stack traces, most of the time measured here, may cost more or less; it is not measured.

/** Hosts of the in-process warm-up: enough for every code path to be loaded and compiled. */
const warmUpHosts = 10;

const roundMb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Times one evaluation, from reading the stack config (or declaring the first baseline resource)
 * to every registration settled and, for the program, the site's outputs resolved.
 */
async function timeEvaluation(
  mode: Mode,
  hosts: number,
  resources: number,
  projectDir: string,
): Promise<number> {
  // The engine hands the stack config to the program before it starts; so do the mocks. As a
  // preview, since `pulumi preview` on every PR is the evaluation this bench stands for.
  const config =
    mode === "program" ? { ...benchConfigValues(hosts), sshPrivateKey: benchSshKey } : {};
  await setupMocks({
    config,
    secretKeys: mode === "program" ? ["sshPrivateKey"] : [],
    preview: true,
  });
  const start = performance.now();
  if (mode === "program") {
    // TODO(#5): the mocks stand in for the engine's callback server, so the gRPC registration of
    // each host's hook in a real preview is not in this time.
    const { site } = declareProgram(readPulumiConfig(projectDir));
    await promiseOf(site.hosts);
  } else if (mode === "typed") {
    declareTypedResources(hosts, projectDir);
  } else {
    declareBareResources(resources);
  }
  await settle();
  return performance.now() - start;
}

function parseOptions(): { mode: Mode; hosts: number; resources: number } {
  const { values } = parseArgs({
    options: {
      mode: { type: "string", default: "program" },
      hosts: { type: "string" },
      resources: { type: "string" },
    },
  });
  const mode = values.mode as Mode;
  const hosts = Number(values.hosts);
  const resources = Number(values.resources ?? hosts);
  if (!modes.includes(mode) || !Number.isInteger(hosts) || hosts < 1 || !(resources >= 1)) {
    throw new Error(
      `usage: evaluate.ts --mode ${modes.join("|")} --hosts N [--resources R]; ` +
        `received ${process.argv.slice(2).join(" ")}`,
    );
  }
  return { mode, hosts, resources };
}

async function main(): Promise<void> {
  const { mode, hosts, resources } = parseOptions();
  const projectDir = makeBenchProjectDir();

  // A small evaluation first, so that the measured one times evaluation rather than lazy module
  // loading and cold code. The GC then frees what it made before the starting RSS is taken.
  const warmUpResources = Math.min(resources, Math.ceil((resources / hosts) * warmUpHosts));
  await timeEvaluation(mode, Math.min(hosts, warmUpHosts), warmUpResources, projectDir);
  global.gc?.();
  const startRss = process.memoryUsage.rss();

  const gcPauses: PerformanceEntry[] = [];
  const gcObserver = new PerformanceObserver((list) => gcPauses.push(...list.getEntries()));
  gcObserver.observe({ entryTypes: ["gc"] });
  const wallMs = await timeEvaluation(mode, hosts, resources, projectDir);
  const end = performance.now();
  // Entries arrive on a later turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 100));
  gcObserver.disconnect();
  const gcMs = gcPauses
    .filter((pause) => pause.startTime < end)
    .reduce((sum, pause) => sum + pause.duration, 0);
  const measurement: Measurement = {
    mode,
    hosts,
    resources: recorded.resources.length,
    hooks: recorded.hooks.length,
    wallMs: Math.round(wallMs * 10) / 10,
    gcMs: Math.round(gcMs * 10) / 10,
    // maxRSS is in kilobytes.
    peakRssMb: roundMb(process.resourceUsage().maxRSS * 1024),
    startRssMb: roundMb(startRss),
    heapLimitMb: roundMb(v8.getHeapStatistics().heap_size_limit),
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
