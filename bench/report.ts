// Turns the measurements of one bench run into results.json rows, a table, the change against the
// previous results, and a reading of the goals. Prints only; nothing here fails a run.
import type { Measurement } from "./evaluate";

export interface RunResult {
  hosts: number;
  resources: number;
  /** Median over the repeats, like every other time and memory here. */
  wallMs: number;
  msPerHost: number;
  /** Of wallMs, the garbage collector's pauses. */
  gcMs: number;
  peakRssMb: number;
  /** Peak RSS over the RSS at the start of the measured evaluation, per host. */
  rssGrowthMbPerHost: number;
  baselineWallMs: number;
  baselinePeakRssMb: number;
  /** wallMs / baselineWallMs. */
  ratio: number;
  /** With --typed: the same custom resource classes as the program, declared flat. */
  typedWallMs?: number;
  typedRatio?: number;
  hooks: number;
  /** V8's heap limit in the measuring process. */
  heapLimitMb?: number;
  wallMsSamples: number[];
  baselineWallMsSamples: number[];
}

export interface Results {
  date: string;
  node: string;
  cores: number;
  cpu: string;
  heapLimitMb: number;
  repeat: number;
  nodeOptions?: string;
  runs: RunResult[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function summarise(
  program: Measurement[],
  baseline: Measurement[],
  typed: Measurement[],
): RunResult {
  const { hosts, resources, hooks } = program[0];
  const wallMs = median(program.map((run) => run.wallMs));
  const baselineWallMs = median(baseline.map((run) => run.wallMs));
  const growth = median(program.map((run) => Math.max(0, run.peakRssMb - run.startRssMb)));
  const result: RunResult = {
    hosts,
    resources,
    wallMs: round(wallMs),
    msPerHost: round(wallMs / hosts, 2),
    gcMs: round(median(program.map((run) => run.gcMs))),
    peakRssMb: round(median(program.map((run) => run.peakRssMb))),
    rssGrowthMbPerHost: round(growth / hosts, 2),
    baselineWallMs: round(baselineWallMs),
    baselinePeakRssMb: round(median(baseline.map((run) => run.peakRssMb))),
    ratio: round(wallMs / baselineWallMs, 2),
    hooks,
    heapLimitMb: program[0].heapLimitMb,
    wallMsSamples: program.map((run) => run.wallMs),
    baselineWallMsSamples: baseline.map((run) => run.wallMs),
  };
  if (typed.length > 0) {
    result.typedWallMs = round(median(typed.map((run) => run.wallMs)));
    result.typedRatio = round(wallMs / result.typedWallMs, 2);
  }
  return result;
}

/** Half the range of the repeats around their median: tells a noisy row from a real change. */
function spreadPercent(samples: readonly number[]): number {
  return Math.round(((Math.max(...samples) - Math.min(...samples)) / 2 / median(samples)) * 100);
}

export function formatTable(runs: readonly RunResult[]): string {
  const withTyped = runs.some((run) => run.typedWallMs !== undefined);
  const header = [
    "hosts",
    "resources",
    "wall ms",
    "spread",
    "ms/host",
    "GC",
    "peak RSS MB",
    "MB/host",
    "baseline ms",
    "ratio",
    ...(withTyped ? ["typed ms", "typed ratio"] : []),
  ];
  const rows = runs.map((run) => [
    String(run.hosts),
    String(run.resources),
    run.wallMs.toFixed(0),
    `±${spreadPercent(run.wallMsSamples)}%`,
    run.msPerHost.toFixed(2),
    `${Math.round((run.gcMs / run.wallMs) * 100)}%`,
    run.peakRssMb.toFixed(0),
    run.rssGrowthMbPerHost.toFixed(2),
    run.baselineWallMs.toFixed(0),
    `${run.ratio.toFixed(2)}x`,
    ...(withTyped ? [run.typedWallMs?.toFixed(0) ?? "", `${run.typedRatio?.toFixed(2)}x`] : []),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padStart(widths[column])).join(" | ")} |`;
  const rule = `|${widths.map((width) => "-".repeat(width + 1) + ":").join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function change(now: number, before: number): string {
  const percent = ((now - before) / before) * 100;
  return `${percent >= 0 ? "+" : ""}${percent.toFixed(0)}%`;
}

/** One line per size measured both times: wall time, memory and ratio against the last run. */
export function formatChanges(previous: Results, current: Results): string[] {
  const lines: string[] = [];
  for (const run of current.runs) {
    const before = previous.runs.find((old) => old.hosts === run.hosts);
    if (!before) {
      continue;
    }
    lines.push(
      `${String(run.hosts).padStart(5)} hosts: wall ${before.wallMs.toFixed(0)} -> ` +
        `${run.wallMs.toFixed(0)} ms (${change(run.wallMs, before.wallMs)}), peak RSS ` +
        `${before.peakRssMb.toFixed(0)} -> ${run.peakRssMb.toFixed(0)} MB ` +
        `(${change(run.peakRssMb, before.peakRssMb)}), ratio ${before.ratio.toFixed(2)}x -> ` +
        `${run.ratio.toFixed(2)}x`,
    );
  }
  return lines;
}

/** The goals, read off this run; informative only (performance is never asserted). */
export function formatGoals(runs: readonly RunResult[]): string[] {
  const flatRange = runs.filter((run) => run.hosts >= 10 && run.hosts <= 1000);
  const largest = runs.find((run) => run.hosts === 1000);
  const hundred = runs.find((run) => run.hosts === 100);
  if (flatRange.length < 2 || !largest || !hundred) {
    return ["goals: read only when 10, 100 and 1000 hosts are measured"];
  }
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  const perHost = flatRange.map((run) => run.msPerHost);
  const flatness = Math.max(...perHost) / Math.min(...perHost);
  const memory = largest.rssGrowthMbPerHost / hundred.rssGrowthMbPerHost;
  const lines = [
    `time per host, slowest over fastest from 10 to 1000 hosts: ${flatness.toFixed(2)}x ` +
      `(goal within 1.5x: ${verdict(flatness <= 1.5)})`,
    `memory growth per host, 1000 over 100 hosts: ${memory.toFixed(2)}x (linear when near 1)`,
    `program over bare baseline at 1000 hosts: ${largest.ratio.toFixed(2)}x ` +
      `(goal within 1.5x: ${verdict(largest.ratio <= 1.5)})`,
  ];
  if (largest.typedRatio !== undefined) {
    lines.push(
      `program over the same resource classes declared flat at 1000 hosts: ` +
        `${largest.typedRatio.toFixed(2)}x (what our own code adds)`,
    );
  }
  if (largest.peakRssMb > 0.5 * (largest.heapLimitMb ?? Infinity)) {
    lines.push(
      `peak RSS at 1000 hosts is ${largest.peakRssMb.toFixed(0)} MB of a ` +
        `${largest.heapLimitMb?.toFixed(0)} MB heap limit: a smaller machine runs out of memory`,
    );
  }
  return lines;
}
