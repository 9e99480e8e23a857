/*
 * exchange(a, b): swaps two paths atomically with renameat2(RENAME_EXCHANGE), so the output
 * folder is never missing. Returns 0, or the errno (ENOSYS where the system has no renameat2,
 * EINVAL where the file system refuses the exchange): the caller then takes its fallback.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <node_api.h>

#ifdef __linux__
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#endif

/* A copy of a string argument, to free(); NULL with a pending JS exception when there is none. */
static char *string_arg(napi_env env, napi_value arg) {
  size_t length;
  if (napi_get_value_string_utf8(env, arg, NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "exchange(a, b) takes two paths");
    return NULL;
  }
  char *text = malloc(length + 1);
  if (!text) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, arg, text, length + 1, &length);
  return text;
}

static int exchange_paths(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
  return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0 ? 0 : errno;
#else
  (void)a;
  (void)b;
  return ENOSYS;
#endif
}

static napi_value exchange(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 2) {
    napi_throw_type_error(env, NULL, "exchange(a, b) takes two paths");
    return NULL;
  }
  char *a = string_arg(env, argv[0]);
  if (!a) return NULL;
  char *b = string_arg(env, argv[1]);
  if (!b) {
    free(a);
    return NULL;
  }
  napi_create_int32(env, exchange_paths(a, b), &result);
  free(a);
  free(b);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "exchange", NAPI_AUTO_LENGTH, exchange, NULL, &fn);
  napi_set_named_property(env, exports, "exchange", fn);
  return exports;
}
