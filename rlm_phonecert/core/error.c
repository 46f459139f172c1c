/**
 * @file error.c
 * @brief Error messages left for the caller by core functions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include <phonecert/error.h>

void pc_error_set(pc_error_t *err, char const *fmt, ...)
{
	va_list ap;

	if (!err) return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void pc_error_set_openssl(pc_error_t *err, char const *fmt, ...)
{
	va_list		ap;
	unsigned long	code;
	size_t		used;

	code = ERR_peek_error();
	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		used = strlen(err->msg);
		if (code && used + 3 < sizeof(err->msg)) {
			char const *why = ERR_reason_error_string(code);

			snprintf(err->msg + used, sizeof(err->msg) - used, ": %s", why ? why : "OpenSSL error");
		}
	}
	/* Errors must never leak from one call into the next (or into another request). */
	ERR_clear_error();
}
