/* The functions of native/blas's files that sgemm.c's module init exports. */
#ifndef AESPEC_BLAS_EXPORTS_H
#define AESPEC_BLAS_EXPORTS_H
#include <node_api.h>

napi_value adam_update(napi_env env, napi_callback_info info);
napi_value conv2d(napi_env env, napi_callback_info info);
napi_value slice(napi_env env, napi_callback_info info);

#endif
