// Turns a fleet report into what a person reads (a table, then every problem by host) or what a
// machine reads (JSON). Pure: colour is asked for by the caller, who knows whether it is a TTY.
import type { FleetReport, HostReport, Problem } from "./types";

type Paint = (text: string) => string;

interface Palette {
  readonly good: Paint;
  readonly bad: Paint;
  readonly warn: Paint;
  readonly dim: Paint;
  readonly bold: Paint;
}

const plain: Palette = {
  good: (t) => t,
  bad: (t) => t,
  warn: (t) => t,
  dim: (t) => t,
  bold: (t) => t,
};

function ansi(code: number): Paint {
  return (text) => `\u001b[${code}m${text}\u001b[0m`;
}

const colours: Palette = {
  good: ansi(32),
  bad: ansi(31),
  warn: ansi(33),
  dim: ansi(2),
  bold: ansi(1),
};

/** `2026-12-03T17:40:12.345678901Z` as `2026-12-03 17:40Z`; unparseable input comes back as is. */
export function shortTime(iso: string | undefined): string {
  if (iso === undefined) {
    return "-";
  }
  const time = new Date(iso);
  return Number.isNaN(time.getTime())
    ? iso
    : `${time.toISOString().slice(0, 16).replace("T", " ")}Z`;
}

/** `sha256:` and 12 hex digits, as `docker images --digests` abbreviates. */
export function shortDigest(digest: string | undefined): string {
  return digest === undefined ? "-" : digest.slice(0, 19);
}

interface Cell {
  readonly text: string;
  readonly paint?: Paint;
}

function orchestratorCell(host: HostReport, palette: Palette): Cell {
  const orchestrator = host.orchestrator;
  if (orchestrator === undefined || !orchestrator.present) {
    return { text: "missing", paint: palette.bad };
  }
  if (orchestrator.state !== "running") {
    return { text: orchestrator.state ?? "unknown", paint: palette.bad };
  }
  const health =
    orchestrator.health === "none" ? "no healthcheck" : (orchestrator.health ?? "unknown");
  return {
    text: `running, ${health}`,
    paint: orchestrator.health === "healthy" ? palette.good : palette.bad,
  };
}

function updateCell(host: HostReport, palette: Palette): Cell {
  const update = host.update;
  switch (update?.status) {
    case "current":
      return { text: "current", paint: palette.good };
    case "pinned":
      return { text: "pinned (on purpose)", paint: palette.good };
    case "behind":
      return {
        text: update.behindSince ? `behind since ${shortTime(update.behindSince)}` : "behind",
        paint: palette.bad,
      };
    case undefined:
      return { text: "-" };
    default:
      return { text: update?.status ?? "-", paint: palette.bad };
  }
}

function watchtowerCell(host: HostReport, palette: Palette): Cell {
  const watchtower = host.watchtower;
  if (watchtower === undefined) {
    return { text: "-" };
  }
  if (!watchtower.present) {
    return { text: "missing", paint: palette.bad };
  }
  const version = watchtower.version ?? "?";
  if (watchtower.state !== "running") {
    return { text: `${version}, ${watchtower.state ?? "stopped"}`, paint: palette.bad };
  }
  if (watchtower.selectsOrchestrator === undefined) {
    return { text: `${version}, running` };
  }
  return watchtower.selectsOrchestrator
    ? {
        text: `${version}, watches it`,
        paint: host.update?.status === "pinned" ? palette.warn : palette.good,
      }
    : {
        text: `${version}, ignores it`,
        paint: host.update?.status === "pinned" ? palette.good : palette.bad,
      };
}

function hostRow(host: HostReport, palette: Palette): Cell[] {
  const name = { text: host.host, paint: palette.bold };
  if (host.verdict === "unchecked") {
    // The reason is long; it is listed under Problems.
    return [name, { text: "unreachable", paint: palette.bad }];
  }
  return [
    name,
    orchestratorCell(host, palette),
    { text: String(host.orchestrator?.restartCount ?? "-") },
    { text: shortTime(host.orchestrator?.startedAt) },
    { text: shortDigest(host.orchestrator?.digest) },
    updateCell(host, palette),
    watchtowerCell(host, palette),
  ];
}

/** Aligned columns; a row may stop early, and no line ends in padding. */
function table(rows: Cell[][]): string[] {
  const widths = rows[0].map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.text.length ?? 0)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) => {
        const padded = column === row.length - 1 ? cell.text : cell.text.padEnd(widths[column]);
        return cell.paint ? cell.paint(padded) : padded;
      })
      .join("  ")
      .trimEnd(),
  );
}

function problemLine(host: string, width: number, problem: Problem, palette: Palette): string {
  const severity = problem.severity === "error" ? palette.bad("error  ") : palette.warn("warning");
  return `  ${host.padEnd(width)}  ${severity}  ${problem.message}`;
}

function summary(report: FleetReport): string {
  const ok = report.hosts.filter((host) => host.verdict === "ok").length;
  const unchecked = report.hosts.filter((host) => host.verdict === "unchecked").length;
  const parts = [`${ok} of ${report.hosts.length} hosts current and healthy`];
  if (unchecked > 0) {
    parts.push(`${unchecked} not checked`);
  }
  return `${parts.join(", ")} (exit ${report.exitCode})`;
}

/** The human-readable report. */
export function renderTable(report: FleetReport, options: { colour: boolean }): string {
  const palette = options.colour ? colours : plain;
  const registry = report.registry.ok
    ? `${shortDigest(report.registry.digest)}${report.registry.created ? ` (built ${shortTime(report.registry.created)})` : ""}`
    : palette.bad(`unknown: ${report.registry.reason}`);
  const lines = [
    `${palette.bold(`Site ${report.site}`)} (stack ${report.stack}), checked ${shortTime(report.checkedAt)}`,
    `Image     ${report.image}`,
    `Registry  ${registry} ${palette.dim(`from ${report.registry.url}`)}`,
    "",
  ];
  const header = [
    "HOST",
    "ORCHESTRATOR",
    "RESTARTS",
    "STARTED",
    "DIGEST",
    "UPDATE",
    "WATCHTOWER",
  ].map((text): Cell => ({ text, paint: palette.dim }));
  lines.push(...table([header, ...report.hosts.map((host) => hostRow(host, palette))]));

  const width = Math.max(...report.hosts.map((host) => host.host.length));
  const problems = report.hosts.flatMap((host) =>
    host.problems.map((problem) => problemLine(host.host, width, problem, palette)),
  );
  if (problems.length > 0) {
    lines.push("", "Problems", ...problems);
  }
  lines.push("", summary(report));
  return `${lines.join("\n")}\n`;
}

/** The machine-readable report: the FleetReport as it is, two-space indented. */
export function renderJson(report: FleetReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
