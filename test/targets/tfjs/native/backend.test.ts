import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { TFJS_TARGET } from "../../../../targets/tfjs/target.js";
import { BACKEND_NAMES, selectBackend } from "../../../../targets/tfjs/backend.js";
import { prepareEnvironment } from "../../../../targets/tfjs/native/addon.js";
import { blasMatMulInUse } from "../../../../targets/tfjs/native/registry.js";
import { matMulTransposes } from "../../../../targets/tfjs/ops/matmul.js";
import { blas, skipReason } from "./native-available.js";

const AVX512 = new Set(["sse2", "avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"]);

describe("prepareEnvironment (OpenBLAS's variables, set before it loads)", () => {
  it("forces SkylakeX kernels on a CPU with every AVX-512 set they use, and says so", () => {
    const env: NodeJS.ProcessEnv = {};
    expect(prepareEnvironment(env, AVX512)).toBe("forced");
    expect(env["OPENBLAS_CORETYPE"]).toBe("SkylakeX");
  });

  it("leaves OpenBLAS to its own detection where one of them is missing (SkylakeX would crash there)", () => {
    for (const missing of ["avx512f", "avx512bw", "avx512vl"]) {
      const env: NodeJS.ProcessEnv = {};
      expect(prepareEnvironment(env, new Set([...AVX512].filter((f) => f !== missing)))).toBe("detected");
      expect(env["OPENBLAS_CORETYPE"]).toBeUndefined();
    }
  });

  it("never overrides what the user set, and lowers the idle spinning unless told otherwise", () => {
    const env: NodeJS.ProcessEnv = { OPENBLAS_CORETYPE: "Haswell", OPENBLAS_THREAD_TIMEOUT: "28" };
    expect(prepareEnvironment(env, AVX512)).toBe("user");
    expect(env).toEqual({ OPENBLAS_CORETYPE: "Haswell", OPENBLAS_THREAD_TIMEOUT: "28" });
    const fresh: NodeJS.ProcessEnv = {};
    prepareEnvironment(fresh, new Set());
    expect(Number(fresh["OPENBLAS_THREAD_TIMEOUT"])).toBeLessThan(28);
  });
});

describe("the backend list", () => {
  it("offers wasm+blas, tried before plain wasm, and the target's `--backend` accepts every name", () => {
    expect(BACKEND_NAMES.indexOf("wasm+blas")).toBe(BACKEND_NAMES.indexOf("wasm") - 1);
    const backend = TFJS_TARGET.options.find((o) => o.flag.startsWith("--backend "));
    expect([...(backend?.choices ?? [])].sort()).toEqual([...BACKEND_NAMES].sort());
  });
});

describe.skipIf(blas === null)(`selecting wasm+blas${skipReason === null ? "" : ` (skipped: ${skipReason})`}`, () => {
  afterAll(async () => {
    await selectBackend("wasm");
  });

  it("runs tfjs's wasm backend with the OpenBLAS kernels and flag transposes, and says which kernels", async () => {
    const s = await selectBackend("wasm+blas");
    expect(s.error).toBeNull();
    expect(s.name).toBe("wasm+blas");
    expect(s.detail).toMatch(/^@tensorflow\/tfjs-backend-wasm .*; matMul on OpenBLAS \(\w+ kernels.*, \d+ threads?\)$/);
    expect(tf.getBackend()).toBe("wasm");
    expect(blasMatMulInUse()).toBe(true);
    expect(matMulTransposes()).toBe("flags");
  });

  it("plain wasm refuses it: stock kernels, explicit transposes", async () => {
    await selectBackend("wasm+blas");
    const s = await selectBackend("wasm");
    expect(s.name).toBe("wasm");
    expect(s.detail).not.toMatch(/OpenBLAS/);
    expect(blasMatMulInUse()).toBe(false);
    expect(matMulTransposes()).toBe("explicit");
  });

  it("is the default when the tensorflow packages are absent", async () => {
    const s = await selectBackend();
    if (s.name === "tensorflow" || s.name === "tensorflow-gpu") return; // installed here after all
    expect(s.name).toBe("wasm+blas");
    expect(blasMatMulInUse()).toBe(true);
  });
});
