/*
 * The Bernoulli reconstruction term of targets/tfjs/train/losses/reconstruction.ts,
 * per feature, in one pass instead of about ten wasm kernels, with the
 * operations of the tfjs expression in its order, each a float32 IEEE
 * operation (no contraction: binding.gyp builds with -ffp-contract=off):
 *
 *   bernoulliNll(x, r, lo, hi, out):      p = clip(r, lo, hi)
 *       out = -(x * log(p) + (1 - x) * log(1 - p))
 *   bernoulliNllGrad(x, r, dy, lo, hi, out): the gradient in r, as tfjs's
 *       autodiff of that expression computes it:
 *       out = ((-dy * x) / p + -((-dy * (1 - x)) / (1 - p))) * (r == p)
 *
 * All arrays have one length; lo and hi are float32 values. A NaN r is
 * clipped to lo, as the wasm backend's ClipByValue does (cpu's keeps NaN).
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "exports.h"

/* As the wasm backend's ClipByValue, which this replaces: NaN becomes lo (then r != p, no gradient). */
static float clip(float r, float lo, float hi) {
  return isnan(r) || r < lo ? lo : (r > hi ? hi : r);
}

static bool read_bounds(napi_env env, napi_value vlo, napi_value vhi, float* lo, float* hi) {
  double a, b;
  if (napi_get_value_double(env, vlo, &a) != napi_ok || napi_get_value_double(env, vhi, &b) != napi_ok) return false;
  *lo = (float)a;
  *hi = (float)b;
  return true;
}

napi_value bernoulli_nll(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  float *x, *r, *out, lo, hi;
  size_t lx, lr, lout;
  if (argc != 5 || !get_floats(env, argv[0], false, &x, &lx) || !get_floats(env, argv[1], false, &r, &lr) || !read_bounds(env, argv[2], argv[3], &lo, &hi) ||
      !get_floats(env, argv[4], false, &out, &lout) || lr != lx || lout != lx) {
    napi_throw_error(env, "AESPEC_BLAS_ARGS", "bernoulliNll(x, r, lo, hi, out) takes Float32Arrays of one length and two numbers");
    return NULL;
  }
  for (size_t i = 0; i < lx; i++) {
    const float p = clip(r[i], lo, hi);
    const float xi = x[i];
    const float a = xi * logf(p);
    const float b = (1.0f - xi) * logf(1.0f - p);
    out[i] = -(a + b);
  }
  return NULL;
}

napi_value bernoulli_nll_grad(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  float *x, *r, *dy, *out, lo, hi;
  size_t lx, lr, ldy, lout;
  if (argc != 6 || !get_floats(env, argv[0], false, &x, &lx) || !get_floats(env, argv[1], false, &r, &lr) || !get_floats(env, argv[2], false, &dy, &ldy) ||
      !read_bounds(env, argv[3], argv[4], &lo, &hi) || !get_floats(env, argv[5], false, &out, &lout) || lr != lx || ldy != lx || lout != lx) {
    napi_throw_error(env, "AESPEC_BLAS_ARGS", "bernoulliNllGrad(x, r, dy, lo, hi, out) takes Float32Arrays of one length and two numbers");
    return NULL;
  }
  for (size_t i = 0; i < lx; i++) {
    const float ri = r[i];
    const float p = clip(ri, lo, hi);
    const float xi = x[i];
    const float g = -dy[i];
    const float dp = (g * xi) / p + -((g * (1.0f - xi)) / (1.0f - p));
    out[i] = dp * (ri == p ? 1.0f : 0.0f);
  }
  return NULL;
}
