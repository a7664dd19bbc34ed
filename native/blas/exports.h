/* The functions of native/blas's files that sgemm.c's module init exports, and the argument reader they share. */
#ifndef AESPEC_BLAS_EXPORTS_H
#define AESPEC_BLAS_EXPORTS_H
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>

/* A Float32Array argument: its data and length, or NULL data for null/undefined when `nullable` (sgemm.c). */
bool get_floats(napi_env env, napi_value v, bool nullable, float** data, size_t* length);

napi_value adam_update(napi_env env, napi_callback_info info);
napi_value conv2d(napi_env env, napi_callback_info info);
napi_value slice(napi_env env, napi_callback_info info);
napi_value bernoulli_nll(napi_env env, napi_callback_info info);
napi_value bernoulli_nll_grad(napi_env env, napi_callback_info info);

#endif
