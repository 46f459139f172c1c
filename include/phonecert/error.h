/**
 * @file phonecert/error.h
 * @brief The error message a core function leaves for its caller instead of logging.
 */
#ifndef PHONECERT_ERROR_H
#define PHONECERT_ERROR_H

#include <stddef.h>

#if defined(__GNUC__)
#  define PC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#  define PC_MUST_CHECK __attribute__((warn_unused_result))
#else
#  define PC_PRINTF(fmt, args)
#  define PC_MUST_CHECK
#endif

/** Filled by a failing core function with one line naming the file and the reason. */
typedef struct {
	char	msg[1024];
} pc_error_t;

/** Set the message (printf style).  A NULL err is allowed and ignored. */
void pc_error_set(pc_error_t *err, char const *fmt, ...) PC_PRINTF(2, 3);

/** Set the message and append the first queued OpenSSL error, then drain the queue. */
void pc_error_set_openssl(pc_error_t *err, char const *fmt, ...) PC_PRINTF(2, 3);

#endif
