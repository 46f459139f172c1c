/**
 * @file phonecert/file.h
 * @brief Reading a configuration file (phonecert.conf, the deny-list) whole, bounded.
 */
#ifndef PHONECERT_FILE_H
#define PHONECERT_FILE_H

#include <stddef.h>
#include <talloc.h>

#include <phonecert/error.h>

/**
 * Read the whole of path into a buffer allocated under ctx, NUL-terminated.
 *
 * @param max	Largest size accepted: a larger file is refused ("PATH: larger than MAX bytes"),
 *		not cut, so that a parser never decides on part of a file.
 * @return 0 with *text and *len set; -1 with err = "PATH: reason" and nothing allocated.
 */
int pc_file_read(TALLOC_CTX *ctx, char const *path, size_t max, char **text, size_t *len,
		 pc_error_t *err) PC_MUST_CHECK;

#endif
