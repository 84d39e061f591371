// Pulumi fails a run when a rejected Output reaches its runtime unhandled: a component that throws
// a ResourceError inside an apply, and hands that output to registerOutputs, stops the preview that
// way. Under node:test the same rejection would be blamed on whichever test happens to be running,
// so a test that expects the program to fail collects the errors here and asserts on them.
import { settle } from "./mocks";

/**
 * Runs `declare` (which declares resources and may await their outputs), waits for every pending
 * registration, and returns the distinct errors the program let go unhandled meanwhile.
 */
export async function programErrorsDuring(declare: () => Promise<void>): Promise<unknown[]> {
  const errors: unknown[] = [];
  const collect = (reason: unknown) => {
    errors.push(reason);
  };
  const runnerListeners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", collect);
  try {
    await declare();
    await settle();
    // Node reports unhandled rejections only once the microtask queue has drained.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", collect);
    for (const listener of runnerListeners) {
      process.on("unhandledRejection", listener);
    }
  }
  return [...new Set(errors)];
}
