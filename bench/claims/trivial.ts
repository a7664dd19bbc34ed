/** Claim 9: trivial solutions, as the lints predict them (AE2701 identity, AE2702 memorisation) and as training then shows them. */
import { aespec, commandLine, compared, SPEC, table, type Claim } from "./claim.js";

const EVAL = ["--iwae-k", "1"];

export const trivialSolutions: Claim = {
  name: "trivial",
  title: "trivial solutions: the identity and memorisation",
  statement:
    "A deterministic latent as wide as the input, with nothing against it, can learn the identity: it reconstructs anything, test images as well as training ones, and compresses nothing. A latent with as many numbers as there are training examples can memorise them: training error falls far below test error.",
  run: async () => {
    const check = ["check", SPEC];
    const lints = (await aespec([...check, "--format", "json"]).catch((e: Error) => e.message)).trim();
    const codes = [...lints.matchAll(/"code":\s*"(AE27\d\d)"/g)].map((m) => m[1]!);
    const dirs: string[] = [];
    const commands = [commandLine(check)];
    for (const model of ["overcomplete", "undercomplete", "memorise"]) {
      const out = `claims-runs/trivial-${model}`;
      const sweep = ["sweep", SPEC, "--model", model, "--seeds", "1", "--eval", ...EVAL, "--out", out];
      await aespec(sweep);
      commands.push(commandLine(sweep));
      dirs.push(out);
    }
    const c = await compared(dirs, EVAL);
    const [over, under, memo] = c.runs;
    const rows = c.runs.map((r, i) => [
      ["overcomplete", "undercomplete", "memorise"][i]!,
      ["AE2701 (identity)", "none", "AE2702 (memorisation)"][i]!,
      ["1024", "32", "128"][i]!,
      r.metrics["train.reconstruction"]!,
      r.metrics["reconstruction.bce"]!,
      r.metrics["reconstruction.bce"]! / r.metrics["train.reconstruction"]!,
    ]);
    const identity = over!.metrics["reconstruction.bce"]! < under!.metrics["reconstruction.bce"]! && codes.includes("AE2701");
    const gap = memo!.metrics["reconstruction.bce"]! / memo!.metrics["train.reconstruction"]!;
    const memorised = gap > 1.5 && codes.includes("AE2702");
    return {
      commands,
      body: `\`aespec check ${SPEC}\` warns: ${codes.join(", ")} (and nothing else).\n\n${table(["model", "lint", "latent", "training BCE (last epoch)", "test BCE", "test / training"], rows)}\n\novercomplete and undercomplete: linear encoder, sigmoid decoder, the first 10,000 MNIST images, 3 epochs; memorise: dense 784-256-128, the first 100 images, 150 epochs; test: the matching first test images of MNIST.`,
      verdict: identity && memorised ? "shown" : "not shown",
      why: `The overcomplete latent reconstructs test images at ${over!.metrics["reconstruction.bce"]!.toFixed(1)} nats against ${under!.metrics["reconstruction.bce"]!.toFixed(1)} for 32 numbers (it copies, it does not compress); the memorising model's test error is ${gap.toFixed(1)}x its training error.`,
    };
  },
};
