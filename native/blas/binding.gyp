{
  # The optional native GEMM of the wasm backend (targets/tfjs/native/); built by build.mjs.
  "targets": [
    {
      "target_name": "aespec_blas",
      "sources": ["sgemm.c", "adam.c", "conv.c", "slice.c", "bernoulli.c"],
      "cflags": ["-O3", "-std=c11", "-ffp-contract=off", "-Wall", "-Wextra"],
      "libraries": ["-lopenblas"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
