/*
 * conv2d(x, w, out, geometry): a channels-last 2-D convolution as im2col and
 * cblas_sgemm, for the wasm backend's Conv2D kernel (targets/tfjs/native).
 *
 *   x    [batch, inH, inW, inC]          w [fH, fW, inC, outC] (HWIO)
 *   out  [batch, outH, outW, outC]
 *   geometry: an array of 15 integers
 *     [batch, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW,
 *      dilationH, dilationW, padTop, padLeft]   (15 values)
 *
 * out[n, oy, ox, co] = sum_{i, j, ci} x[n, oy sH - top + i dH, ox sW - left + j dW, ci] w[i, j, ci, co],
 * with x zero outside its bounds. The patches of a block of output positions
 * are gathered into a scratch matrix [rows, fH fW inC] (row-major, in w's own
 * order, so w is the GEMM's right operand as stored), then one GEMM per block.
 * Blocks keep the scratch under SCRATCH_FLOATS. A 1x1 filter at stride 1 and
 * no padding needs no gathering: x is the left operand as stored.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "exports.h"

#define GEOMETRY 15
/* 16 MB of scratch at most (plus one row's worth when a single patch is larger). */
#define SCRATCH_FLOATS ((int64_t)4 << 20)

/* The scratch matrix, kept between calls (a training step makes dozens of these convolutions). */
static float* scratch(size_t floats) {
  static float* buf = NULL;
  static size_t len = 0;
  if (floats > len) {
    free(buf);
    buf = (float*)malloc(floats * sizeof(float));
    len = buf == NULL ? 0 : floats;
  }
  return buf;
}

typedef struct {
  int64_t batch, inH, inW, inC, outH, outW, outC, fH, fW, sH, sW, dH, dW, top, left;
} Geometry;

/* Rows [first, first + rows) of the patch matrix (row r is output position r of the flattened [batch, outH, outW]). */
static void gather(const Geometry* g, const float* x, float* col, int64_t first, int64_t rows) {
  const int64_t patch = g->fH * g->fW * g->inC;
  const size_t cbytes = (size_t)g->inC * sizeof(float);
  for (int64_t r = 0; r < rows; r++) {
    const int64_t pos = first + r;
    const int64_t ox = pos % g->outW;
    const int64_t oy = (pos / g->outW) % g->outH;
    const int64_t n = pos / (g->outW * g->outH);
    float* dst = col + r * patch;
    const float* image = x + n * g->inH * g->inW * g->inC;
    for (int64_t i = 0; i < g->fH; i++) {
      float* drow = dst + i * g->fW * g->inC;
      const int64_t iy = oy * g->sH - g->top + i * g->dH;
      if (iy < 0 || iy >= g->inH) {
        memset(drow, 0, (size_t)(g->fW * g->inC) * sizeof(float));
        continue;
      }
      const float* srow = image + iy * g->inW * g->inC;
      for (int64_t j = 0; j < g->fW; j++) {
        const int64_t ix = ox * g->sW - g->left + j * g->dW;
        if (ix < 0 || ix >= g->inW) {
          memset(drow + j * g->inC, 0, cbytes);
        } else {
          memcpy(drow + j * g->inC, srow + ix * g->inC, cbytes);
        }
      }
    }
  }
}

napi_value conv2d(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  float *x, *w, *out;
  size_t lx, lw, lout;
  if (argc != 4 || !get_floats(env, argv[0], false, &x, &lx) || !get_floats(env, argv[1], false, &w, &lw) || !get_floats(env, argv[2], false, &out, &lout)) {
    napi_throw_error(env, "AESPEC_BLAS_ARGS", "conv2d(x, w, out, geometry) takes three Float32Arrays and an array of 15 integers");
    return NULL;
  }
  int64_t v[GEOMETRY];
  for (uint32_t i = 0; i < GEOMETRY; i++) {
    napi_value e;
    if (napi_get_element(env, argv[3], i, &e) != napi_ok || napi_get_value_int64(env, e, &v[i]) != napi_ok) {
      napi_throw_error(env, "AESPEC_BLAS_ARGS", "conv2d: geometry must hold 15 integers");
      return NULL;
    }
  }
  const Geometry g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  for (int i = 0; i < GEOMETRY; i++) {
    /* Sizes >= 0, strides and dilations >= 1, paddings >= 0, all within int. */
    const int64_t min = (i >= 9 && i <= 12) ? 1 : 0;
    if (v[i] < min || v[i] > INT32_MAX) {
      napi_throw_error(env, "AESPEC_BLAS_ARGS", "conv2d: a size, stride, dilation or padding is out of range");
      return NULL;
    }
  }
  const int64_t positions = g.batch * g.outH * g.outW;
  const int64_t patch = g.fH * g.fW * g.inC;
  /* Every read and write stays inside the views: a wrong size is an exception, never a stray access. */
  if ((int64_t)lx < g.batch * g.inH * g.inW * g.inC || (int64_t)lw < patch * g.outC || (int64_t)lout < positions * g.outC || patch > INT32_MAX) {
    napi_throw_error(env, "AESPEC_BLAS_ARGS", "conv2d: x, w or out is shorter than the geometry says");
    return NULL;
  }
  if (positions == 0 || g.outC == 0) return NULL;
  if (patch == 0) {
    memset(out, 0, (size_t)(positions * g.outC) * sizeof(float));
    return NULL;
  }
  const bool direct = g.fH == 1 && g.fW == 1 && g.sH == 1 && g.sW == 1 && g.top == 0 && g.left == 0 && g.outH == g.inH && g.outW == g.inW;
  if (direct) {
    for (int64_t first = 0; first < positions; first += INT32_MAX) {
      const int64_t rows = positions - first < INT32_MAX ? positions - first : INT32_MAX;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)g.outC, (int)patch, 1.0f, x + first * patch, (int)patch, w, (int)g.outC,
                  0.0f, out + first * g.outC, (int)g.outC);
    }
    return NULL;
  }
  int64_t block = SCRATCH_FLOATS / patch;
  if (block < 1) block = 1;
  if (block > positions) block = positions;
  float* col = scratch((size_t)(block * patch));
  if (col == NULL) {
    napi_throw_error(env, "AESPEC_BLAS_MEMORY", "conv2d: out of memory for the patch matrix");
    return NULL;
  }
  for (int64_t first = 0; first < positions; first += block) {
    const int64_t rows = positions - first < block ? positions - first : block;
    gather(&g, x, col, first, rows);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)g.outC, (int)patch, 1.0f, col, (int)patch, w, (int)g.outC, 0.0f,
                out + first * g.outC, (int)g.outC);
  }
  return NULL;
}
