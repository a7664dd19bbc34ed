/**
 * The generated protobuf module is what `npm run gen:onnx` makes of the
 * vendored onnx.proto: regenerated into a temporary folder, it must be
 * byte-identical to the checked-in files.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../tfjs/train/helpers.js";

const PROTO_DIR = "targets/onnx/proto";

describe("the generated ONNX protobuf module", () => {
  it("is up to date with onnx.proto (run `npm run gen:onnx` if this fails)", () => {
    const out = tempDir("aespec-onnx-gen-");
    execFileSync(process.execPath, [join(PROTO_DIR, "generate.mjs"), out], { stdio: "pipe" });
    for (const f of ["onnx-pb.ts", "onnx-types.d.ts"]) {
      expect(readFileSync(join(out, f), "utf8"), `${PROTO_DIR}/${f} is stale: run npm run gen:onnx`).toBe(readFileSync(join(PROTO_DIR, f), "utf8"));
    }
  });

  it("vendors Debian's ONNX 1.12 onnx.proto unchanged when that is installed", () => {
    const debian = "/usr/lib/python3/dist-packages/onnx/onnx.proto";
    let reference: string;
    try {
      reference = readFileSync(debian, "utf8");
    } catch {
      console.log(`skipped: ${debian} is absent (apt-get install -y python3-onnx)`);
      return;
    }
    expect(readFileSync(join(PROTO_DIR, "onnx.proto"), "utf8")).toBe(reference);
  });
});

describe("the generated module", () => {
  it("round-trips a model, with int64 fields decoded as plain numbers", async () => {
    const { onnx } = await import("../../../targets/onnx/proto/onnx.js");
    const bytes = onnx.ModelProto.encode({ irVersion: 8, graph: { initializer: [{ name: "t", dims: [3, 4], dataType: 7, int64Data: [-1, 5] }] } }).finish();
    const m = onnx.ModelProto.decode(bytes);
    expect(m.irVersion).toBe(8);
    expect(typeof m.irVersion).toBe("number");
    expect(m.graph!.initializer![0]!.dims).toEqual([3, 4]);
    expect(m.graph!.initializer![0]!.int64Data).toEqual([-1, 5]);
  });
});
