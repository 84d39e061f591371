// Site-wide behaviour that is not one host's: how hosts are declared, and warnings given once.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";

import { withoutStackTraces } from "../components/site";

describe("withoutStackTraces", () => {
  const saved = Error.stackTraceLimit;
  const savedLeakDebug = process.env.PULUMI_DEBUG_PROMISE_LEAKS;

  afterEach(() => {
    Error.stackTraceLimit = saved;
    if (savedLeakDebug === undefined) {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    } else {
      process.env.PULUMI_DEBUG_PROMISE_LEAKS = savedLeakDebug;
    }
  });

  it("captures no stack traces while hosts are declared, and restores the limit after", () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    Error.stackTraceLimit = 17;
    const inside = withoutStackTraces(() => ({
      limit: Error.stackTraceLimit,
      stack: new Error().stack,
    }));
    assert.deepEqual(inside, { limit: 0, stack: "Error" });
    assert.equal(Error.stackTraceLimit, 17);
  });

  it("restores the limit when declaring throws", () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    Error.stackTraceLimit = 12;
    assert.throws(
      () =>
        withoutStackTraces(() => {
          throw new Error("bad host");
        }),
      /bad host/,
    );
    assert.equal(Error.stackTraceLimit, 12);
  });

  it("keeps stack traces for the SDK's leak debugging", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    Error.stackTraceLimit = 10;
    assert.equal(
      withoutStackTraces(() => Error.stackTraceLimit),
      10,
    );
  });
});
