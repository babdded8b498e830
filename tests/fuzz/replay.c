/*
 * A main() for the fuzz targets without libFuzzer [systemd fuzz-main.c]:
 * runs LLVMFuzzerTestOneInput() once over each file named on the command
 * line and over each regular file in the directories named, so that
 * `meson test` replays every seed and every crasher kept in the corpus.
 * Each input is copied into a buffer of exactly its size, so that an
 * overread shows under AddressSanitizer as it does under libFuzzer.
 * Exits 0 when every input ran, 1 when a file could not be read, and a
 * crash in the target ends the program as the crash does.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPLAY_FILE_MAX	(16 * 1024 * 1024)	/* bytes of one input */

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read all of path into a new buffer of its exact size; NULL on failure. */
static uint8_t *
slurp(const char *path, size_t *ret_len)
{
	struct stat	 st;
	uint8_t		*p = NULL;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (st.st_size < 0 || st.st_size > REPLAY_FILE_MAX) {
		errno = EFBIG;
		goto fail;
	}
	/* malloc(0) may give NULL: ask for one byte, use none. */
	if ((p = malloc(st.st_size > 0 ? (size_t)st.st_size : 1)) == NULL)
		goto fail;
	while (off < (size_t)st.st_size) {
		n = read(fd, p + off, (size_t)st.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;	/* the file shrank */
			goto fail;
		}
		off += (size_t)n;
	}
	close(fd);
	*ret_len = off;
	return p;
fail:
	free(p);
	close(fd);
	return NULL;
}

static int
run_file(const char *path)
{
	uint8_t	*p;
	size_t	 len;

	if ((p = slurp(path, &len)) == NULL) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	printf("%s (%zu bytes)\n", path, len);
	fflush(stdout);
	LLVMFuzzerTestOneInput(p, len);
	free(p);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular file in dir, in name order; returns files run or -1. */
static int
run_dir(const char *dir)
{
	DIR		 *d;
	struct dirent	 *de;
	struct stat	  st;
	char		**names = NULL, **nn, *path;
	size_t		  n = 0, i;
	int		  rc = 0, count = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: cannot open %s: %s\n", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((nn = reallocarray(names, n + 1, sizeof(*names))) ==
		    NULL || (nn[n] = strdup(de->d_name)) == NULL) {
			if (nn != NULL)
				names = nn;
			fprintf(stderr, "replay: out of memory\n");
			rc = -1;
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (names != NULL)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if (rc == 0) {
			if (asprintf(&path, "%s/%s", dir, names[i]) == -1) {
				fprintf(stderr, "replay: out of memory\n");
				rc = -1;
			} else {
				if (stat(path, &st) == 0 &&
				    S_ISREG(st.st_mode)) {
					if (run_file(path) == -1)
						rc = -1;
					else
						count++;
				}
				free(path);
			}
		}
		free(names[i]);
	}
	free(names);
	return rc == -1 ? -1 : count;
}

int
main(int argc, char *argv[])
{
	struct stat	 st;
	int		 i, n, total = 0, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s file | directory ...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "replay: cannot stat %s: %s\n",
			    argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if ((n = run_dir(argv[i])) == -1)
				failed = 1;
			else
				total += n;
		} else if (run_file(argv[i]) == -1)
			failed = 1;
		else
			total++;
	}
	printf("%d inputs run\n", total);
	return failed;
}
