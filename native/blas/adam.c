/*
 * adam(w, m, v, g, scalars): one Adam update of a variable, in place, in the
 * order and precision of tfjs-core's AdamOptimizer (every operation a float32
 * IEEE operation, none contracted into a fused multiply-add), so the result is
 * the stock optimizer's, bit for bit:
 *   m = m*b1 + g*(1-b1);  v = v*b2 + (g*g)*(1-b2)
 *   w = ((m/(1-acc1)) / (sqrt(v/(1-acc2)) + eps)) * (-lr) + w
 * `scalars` is a Float32Array [b1, 1-b1, b2, 1-b2, 1-acc1, 1-acc2, eps, -lr],
 * each already rounded to float32 as tfjs's scalar tensors are.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "exports.h"

napi_value adam_update(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  float *w, *m, *v, *g, *s;
  size_t lw, lm, lv, lg, ls;
  if (argc != 5 || !get_floats(env, argv[0], false, &w, &lw) || !get_floats(env, argv[1], false, &m, &lm) || !get_floats(env, argv[2], false, &v, &lv) ||
      !get_floats(env, argv[3], false, &g, &lg) || !get_floats(env, argv[4], false, &s, &ls)) {
    napi_throw_error(env, "AESPEC_BLAS_ARGS", "adam(w, m, v, g, scalars) takes five Float32Arrays");
    return NULL;
  }
  if (lm != lw || lv != lw || lg != lw || ls != 8) {
    napi_throw_error(env, "AESPEC_BLAS_ARGS", "adam: w, m, v, g must have one length, scalars 8 values");
    return NULL;
  }
  const float b1 = s[0], c1 = s[1], b2 = s[2], c2 = s[3], bias1 = s[4], bias2 = s[5], eps = s[6], neg_lr = s[7];
  for (size_t i = 0; i < lw; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * c1;
    const float vi = v[i] * b2 + (gi * gi) * c2;
    m[i] = mi;
    v[i] = vi;
    w[i] = ((mi / bias1) / (sqrtf(vi / bias2) + eps)) * neg_lr + w[i];
  }
  return NULL;
}
