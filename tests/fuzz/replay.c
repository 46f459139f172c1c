/**
 * @file replay.c
 * @brief main() for running a fuzz target without libFuzzer: each file named on the command
 *	  line is given to LLVMFuzzerTestOneInput once.
 *
 * `make fuzz-replay` links every target with this file using the default compiler (gcc), so
 * that the committed corpora are replayed, and the targets compiled, without clang.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <talloc.h>

#include "fuzz.h"

/** The whole file, under ctx. */
static uint8_t *file_read(TALLOC_CTX *ctx, char const *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t used = 0, n;

	if (!fp) return NULL;
	do {
		uint8_t *bigger = talloc_realloc(ctx, buf, uint8_t, used + 65536);

		if (!bigger) {
			fclose(fp);
			return NULL;
		}
		buf = bigger;
		n = fread(buf + used, 1, 65536, fp);
		used += n;
	} while (n > 0);
	if (ferror(fp)) buf = NULL;
	fclose(fp);
	*len = used;
	return buf;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		TALLOC_CTX *ctx = talloc_new(NULL);
		size_t len = 0;
		uint8_t *data = file_read(ctx, argv[i], &len), *exact;

		if (!data) {
			fprintf(stderr, "%s: %s: cannot read: %s\n", argv[0], argv[i], strerror(errno));
			return 2;
		}
		/* An exact-size copy, so that a read past the end is a sanitizer report. */
		exact = malloc(len ? len : 1);
		if (!exact) return 2;
		memcpy(exact, data, len);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
		talloc_free(ctx);
	}
	return 0;
}
