/*
 * slice(x, out, shape, begin, size): out = x[begin : begin + size] for a
 * float32 tensor of rank <= 8 (row-major), the wasm backend's Slice kernel
 * for the crops of the convolution ops (ops/conv-transpose.ts cuts
 * [b, h + pad, w + pad, c] down to [b, h, w, c]; wasm's Slice copies such a
 * crop one innermost row at a time from JavaScript). The innermost axes that
 * are taken whole merge into one contiguous run, copied with memcpy.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "exports.h"

#define MAX_RANK 8

/* An array of `rank` integers >= 0; returns the rank read, or -1. */
static int64_t int_array(napi_env env, napi_value v, int64_t* out) {
  bool is_array = false;
  uint32_t n = 0;
  if (napi_is_array(env, v, &is_array) != napi_ok || !is_array || napi_get_array_length(env, v, &n) != napi_ok || n > MAX_RANK) return -1;
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    if (napi_get_element(env, v, i, &e) != napi_ok || napi_get_value_int64(env, e, &out[i]) != napi_ok || out[i] < 0) return -1;
  }
  return n;
}

napi_value slice(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  float *x, *out;
  size_t lx, lout;
  int64_t shape[MAX_RANK], begin[MAX_RANK], size[MAX_RANK];
  if (argc != 5 || !get_floats(env, argv[0], false, &x, &lx) || !get_floats(env, argv[1], false, &out, &lout)) {
    napi_throw_error(env, "AESPEC_BLAS_ARGS", "slice(x, out, shape, begin, size) takes two Float32Arrays and three integer arrays");
    return NULL;
  }
  const int64_t rank = int_array(env, argv[2], shape);
  if (rank < 1 || int_array(env, argv[3], begin) != rank || int_array(env, argv[4], size) != rank) {
    napi_throw_error(env, "AESPEC_BLAS_ARGS", "slice: shape, begin and size must be arrays of one rank (1 to 8) of integers >= 0");
    return NULL;
  }
  int64_t total_in = 1, total_out = 1;
  for (int64_t d = 0; d < rank; d++) {
    if (begin[d] + size[d] > shape[d]) {
      napi_throw_error(env, "AESPEC_BLAS_ARGS", "slice: begin + size exceeds the shape");
      return NULL;
    }
    total_in *= shape[d];
    total_out *= size[d];
  }
  if ((int64_t)lx < total_in || (int64_t)lout < total_out) {
    napi_throw_error(env, "AESPEC_BLAS_ARGS", "slice: x or out is shorter than the shapes say");
    return NULL;
  }
  if (total_out == 0) return NULL;
  /* The run: the innermost axes taken whole, and the one before them (taken in part). */
  int64_t inner = rank - 1;
  int64_t run = size[inner];
  while (inner > 0 && size[inner] == shape[inner]) {
    inner--;
    run *= size[inner];
  }
  /* Axes [0, inner) are walked one index at a time; axis `inner` and after are one run. */
  int64_t stride[MAX_RANK];
  stride[rank - 1] = 1;
  for (int64_t d = rank - 2; d >= 0; d--) stride[d] = stride[d + 1] * shape[d + 1];
  const size_t bytes = (size_t)run * sizeof(float);
  const int64_t runs = total_out / run;
  int64_t index[MAX_RANK] = {0};
  for (int64_t r = 0; r < runs; r++) {
    int64_t offset = begin[inner] * stride[inner];
    for (int64_t d = 0; d < inner; d++) offset += (begin[d] + index[d]) * stride[d];
    memcpy(out + r * run, x + offset, bytes);
    for (int64_t d = inner - 1; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
  return NULL;
}
