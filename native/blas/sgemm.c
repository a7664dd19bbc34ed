/*
 * aespec_blas: OpenBLAS's cblas_sgemm for the wasm backend's matrix products,
 * on Float32Array views (the tensors live on the wasm heap; the views are
 * taken by the caller right before the call, so they are never stale).
 *
 * Exports:
 *   gemm(a, b, c, batch, m, n, k, transA, transB, strideA, strideB)
 *     c[i] = op(a[i]) x op(b[i]) for i < batch, row-major; op() transposes
 *     when its flag is set (a is then stored [k, m], b [n, k]); a stride of 0
 *     repeats the same matrix for every i (broadcasting); c is [batch, m, n].
 *   epilogue(c, rows, n, bias, activation, alpha, prelu)
 *     c = act(c + bias) in place, row by row; bias and prelu are null, one
 *     value, or n values (one a column); activation is the wasm backend's
 *     FusableActivation code: 0 linear, 1 relu, 2 relu6, 3 prelu,
 *     4 leakyrelu (alpha), 5 sigmoid, 6 elu.
 *   sumRows(x, rows, cols, out)
 *     out[j] = sum over i of x[i, j] (row-major [rows, cols]): a reduction over
 *     leading axes as one matrix-vector product with a vector of ones
 *   adam(w, m, v, g, scalars): one fused Adam update in place (adam.c)
 *   conv2d(x, w, out, geometry): an NHWC convolution as im2col + sgemm (conv.c)
 *   slice(x, out, shape, begin, size): a strided crop by memcpy (slice.c)
 *   setThreads(n), info() -> { threads, corename, config }
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cblas.h>
#include <node_api.h>

#include "exports.h"

#define THROW_IF(cond, msg)                              \
  do {                                                   \
    if (cond) {                                          \
      napi_throw_error(env, "AESPEC_BLAS_ARGS", (msg));  \
      return NULL;                                       \
    }                                                    \
  } while (0)

/* A Float32Array argument: its data and length, or NULL data for null/undefined when allowed. */
bool get_floats(napi_env env, napi_value v, bool nullable, float** data, size_t* length) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  if (nullable && (t == napi_null || t == napi_undefined)) {
    *data = NULL;
    *length = 0;
    return true;
  }
  bool is_typed = false;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed) return false;
  napi_typedarray_type type;
  void* p = NULL;
  if (napi_get_typedarray_info(env, v, &type, length, &p, NULL, NULL) != napi_ok) return false;
  if (type != napi_float32_array) return false;
  *data = (float*)p;
  return true;
}

static bool get_int(napi_env env, napi_value v, int64_t* out) {
  return napi_get_value_int64(env, v, out) == napi_ok;
}

static bool get_bool(napi_env env, napi_value v, bool* out) {
  return napi_get_value_bool(env, v, out) == napi_ok;
}

/* Elements of `count` matrices of `size` each, `stride` apart (0: the same one repeated). */
static int64_t span(int64_t count, int64_t stride, int64_t size) {
  return stride == 0 ? size : (count - 1) * stride + size;
}

static napi_value gemm(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  THROW_IF(argc != 11, "gemm(a, b, c, batch, m, n, k, transA, transB, strideA, strideB) takes 11 arguments");
  float *a, *b, *c;
  size_t la, lb, lc;
  THROW_IF(!get_floats(env, argv[0], false, &a, &la), "gemm: a must be a Float32Array");
  THROW_IF(!get_floats(env, argv[1], false, &b, &lb), "gemm: b must be a Float32Array");
  THROW_IF(!get_floats(env, argv[2], false, &c, &lc), "gemm: c must be a Float32Array");
  int64_t batch, m, n, k, sa, sb;
  bool ta, tb;
  THROW_IF(!get_int(env, argv[3], &batch) || !get_int(env, argv[4], &m) || !get_int(env, argv[5], &n) || !get_int(env, argv[6], &k),
           "gemm: batch, m, n, k must be numbers");
  THROW_IF(!get_bool(env, argv[7], &ta) || !get_bool(env, argv[8], &tb), "gemm: transA, transB must be booleans");
  THROW_IF(!get_int(env, argv[9], &sa) || !get_int(env, argv[10], &sb), "gemm: strideA, strideB must be numbers");
  THROW_IF(batch < 0 || m < 0 || n < 0 || k < 0 || sa < 0 || sb < 0, "gemm: sizes and strides must be >= 0");
  THROW_IF(m > INT32_MAX || n > INT32_MAX || k > INT32_MAX, "gemm: a dimension exceeds 32 bits");
  if (batch == 0 || m == 0 || n == 0) return NULL;
  /* Every read and write stays inside the views: a wrong size is an exception, never a stray write. */
  THROW_IF(span(batch, sa, m * k) > (int64_t)la, "gemm: a is too short");
  THROW_IF(span(batch, sb, k * n) > (int64_t)lb, "gemm: b is too short");
  THROW_IF(batch * m * n > (int64_t)lc, "gemm: c is too short");
  const int lda = ta ? (int)m : (int)k;
  const int ldb = tb ? (int)k : (int)n;
  for (int64_t i = 0; i < batch; i++) {
    float* ci = c + i * m * n;
    if (k == 0) {
      for (int64_t j = 0; j < m * n; j++) ci[j] = 0.0f;
      continue;
    }
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f,
                a + i * sa, lda, b + i * sb, ldb, 0.0f, ci, (int)n);
  }
  return NULL;
}

enum Activation { LINEAR = 0, RELU = 1, RELU6 = 2, PRELU = 3, LEAKYRELU = 4, SIGMOID = 5, ELU = 6 };

/* The same formulas as tfjs's cpu backend, so NaN and the edges behave alike. */
static void activate_row(float* row, size_t n, int act, float alpha, const float* prelu, size_t lprelu) {
  switch (act) {
    case RELU:
      for (size_t j = 0; j < n; j++) row[j] = row[j] < 0.0f ? 0.0f : row[j];
      break;
    case RELU6:
      for (size_t j = 0; j < n; j++) row[j] = row[j] < 0.0f ? 0.0f : (row[j] > 6.0f ? 6.0f : row[j]);
      break;
    case PRELU:
      for (size_t j = 0; j < n; j++) {
        const float w = lprelu == 1 ? prelu[0] : prelu[j];
        row[j] = row[j] < 0.0f ? w * row[j] : row[j];
      }
      break;
    case LEAKYRELU:
      for (size_t j = 0; j < n; j++) row[j] = row[j] < 0.0f ? alpha * row[j] : row[j];
      break;
    case SIGMOID:
      for (size_t j = 0; j < n; j++) row[j] = 1.0f / (1.0f + expf(-row[j]));
      break;
    case ELU:
      for (size_t j = 0; j < n; j++) row[j] = row[j] > 0.0f ? row[j] : expf(row[j]) - 1.0f;
      break;
    default:
      break;
  }
}

static napi_value epilogue(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  THROW_IF(argc != 7, "epilogue(c, rows, n, bias, activation, alpha, prelu) takes 7 arguments");
  float *c, *bias, *prelu;
  size_t lc, lbias, lprelu;
  int64_t rows, n, act;
  double alpha;
  THROW_IF(!get_floats(env, argv[0], false, &c, &lc), "epilogue: c must be a Float32Array");
  THROW_IF(!get_int(env, argv[1], &rows) || !get_int(env, argv[2], &n), "epilogue: rows, n must be numbers");
  THROW_IF(!get_floats(env, argv[3], true, &bias, &lbias), "epilogue: bias must be a Float32Array or null");
  THROW_IF(!get_int(env, argv[4], &act) || act < LINEAR || act > ELU, "epilogue: activation must be a code 0..6");
  THROW_IF(napi_get_value_double(env, argv[5], &alpha) != napi_ok, "epilogue: alpha must be a number");
  THROW_IF(!get_floats(env, argv[6], true, &prelu, &lprelu), "epilogue: prelu must be a Float32Array or null");
  THROW_IF(rows < 0 || n < 0 || rows * n > (int64_t)lc, "epilogue: c is too short");
  THROW_IF(bias != NULL && lbias != 1 && (int64_t)lbias != n, "epilogue: bias must hold 1 or n values");
  THROW_IF(act == PRELU && (prelu == NULL || (lprelu != 1 && (int64_t)lprelu != n)), "epilogue: prelu weights must hold 1 or n values");
  for (int64_t i = 0; i < rows; i++) {
    float* row = c + i * n;
    if (bias != NULL) {
      if (lbias == 1) {
        for (int64_t j = 0; j < n; j++) row[j] += bias[0];
      } else {
        for (int64_t j = 0; j < n; j++) row[j] += bias[j];
      }
    }
    activate_row(row, (size_t)n, (int)act, (float)alpha, prelu, lprelu);
  }
  return NULL;
}

/* A vector of ones at least n long, kept between calls. */
static const float* ones(size_t n) {
  static float* buf = NULL;
  static size_t len = 0;
  if (n > len) {
    float* grown = (float*)realloc(buf, n * sizeof(float));
    if (grown == NULL) return NULL;
    for (size_t i = len; i < n; i++) grown[i] = 1.0f;
    buf = grown;
    len = n;
  }
  return buf;
}

static napi_value sum_rows(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  THROW_IF(argc != 4, "sumRows(x, rows, cols, out) takes 4 arguments");
  float *x, *out;
  size_t lx, lout;
  int64_t rows, cols;
  THROW_IF(!get_floats(env, argv[0], false, &x, &lx) || !get_floats(env, argv[3], false, &out, &lout), "sumRows: x and out must be Float32Arrays");
  THROW_IF(!get_int(env, argv[1], &rows) || !get_int(env, argv[2], &cols), "sumRows: rows, cols must be numbers");
  THROW_IF(rows < 0 || cols < 0 || rows > INT32_MAX || cols > INT32_MAX, "sumRows: rows, cols out of range");
  THROW_IF(rows * cols > (int64_t)lx || cols > (int64_t)lout, "sumRows: x or out is too short");
  if (cols == 0) return NULL;
  if (rows == 0) {
    for (int64_t j = 0; j < cols; j++) out[j] = 0.0f;
    return NULL;
  }
  const float* e = ones((size_t)rows);
  THROW_IF(e == NULL, "sumRows: out of memory");
  cblas_sgemv(CblasRowMajor, CblasTrans, (int)rows, (int)cols, 1.0f, x, (int)cols, e, 1, 0.0f, out, 1);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t n;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  THROW_IF(argc != 1 || !get_int(env, argv[0], &n) || n < 1 || n > 1024, "setThreads(n) takes a count >= 1");
  openblas_set_num_threads((int)n);
  return NULL;
}

static napi_value make_string(napi_env env, const char* s) {
  napi_value v;
  napi_create_string_utf8(env, s == NULL ? "" : s, NAPI_AUTO_LENGTH, &v);
  return v;
}

static napi_value get_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value o, threads;
  napi_create_object(env, &o);
  napi_create_int32(env, openblas_get_num_threads(), &threads);
  napi_set_named_property(env, o, "threads", threads);
  napi_set_named_property(env, o, "corename", make_string(env, openblas_get_corename()));
  napi_set_named_property(env, o, "config", make_string(env, openblas_get_config()));
  return o;
}

static napi_value init(napi_env env, napi_value exports) {
  /* Writable and configurable like a JavaScript module's functions (tests wrap them to count calls). */
  const napi_property_attributes attrs = napi_writable | napi_enumerable | napi_configurable;
  napi_property_descriptor props[] = {
      {"gemm", NULL, gemm, NULL, NULL, NULL, attrs, NULL},
      {"epilogue", NULL, epilogue, NULL, NULL, NULL, attrs, NULL},
      {"adam", NULL, adam_update, NULL, NULL, NULL, attrs, NULL},
      {"conv2d", NULL, conv2d, NULL, NULL, NULL, attrs, NULL},
      {"slice", NULL, slice, NULL, NULL, NULL, attrs, NULL},
      {"bernoulliNll", NULL, bernoulli_nll, NULL, NULL, NULL, attrs, NULL},
      {"bernoulliNllGrad", NULL, bernoulli_nll_grad, NULL, NULL, NULL, attrs, NULL},
      {"sumRows", NULL, sum_rows, NULL, NULL, NULL, attrs, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, attrs, NULL},
      {"info", NULL, get_info, NULL, NULL, NULL, attrs, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
