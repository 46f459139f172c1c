/**
 * @file file.c
 * @brief A configuration file read whole, bounded (see phonecert/file.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <phonecert/file.h>

int pc_file_read(TALLOC_CTX *ctx, char const *path, size_t max, char **text, size_t *len, pc_error_t *err)
{
	struct stat st;
	size_t size, got;
	char *buf;
	FILE *fp;

	*text = NULL;
	*len = 0;
	fp = fopen(path, "r");
	if (!fp) {
		pc_error_set(err, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) != 0) {
		pc_error_set(err, "%s: cannot read: %s", path, strerror(errno));
		fclose(fp);
		return -1;
	}
	/* The size it has now, or the bound for what stat cannot size (a pipe): one byte more
	 * is read, so that a file larger than max (or grown since) is seen, never cut. */
	size = (S_ISREG(st.st_mode) && (unsigned long long)st.st_size <= max) ? (size_t)st.st_size : max;
	buf = talloc_array(ctx, char, size + 2);
	if (!buf) {
		pc_error_set(err, "%s: out of memory", path);
		fclose(fp);
		return -1;
	}
	got = fread(buf, 1, size + 1, fp);
	if (ferror(fp)) {
		pc_error_set(err, "%s: cannot read: %s", path, strerror(errno));
		fclose(fp);
		talloc_free(buf);
		return -1;
	}
	fclose(fp);
	if (got > max || (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max)) {
		pc_error_set(err, "%s: larger than %zu bytes", path, max);
		talloc_free(buf);
		return -1;
	}
	if (got > size) {
		pc_error_set(err, "%s: changed while it was read; try again", path);
		talloc_free(buf);
		return -1;
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return 0;
}
