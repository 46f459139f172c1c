/**
 * @file bench_load.c
 * @brief Runs a list of eapol_test jobs, PARALLEL at a time, and measures what they cost.
 *
 *   bench_load -P PARALLEL -s RADIUSD_PID [-k KEEP_DIR] JOBFILE
 *
 * JOBFILE has one job per line, tab-separated: the number of authentications the job makes
 * when it succeeds (1 + eapol_test's -r), then the command and its arguments.  A job
 * succeeds when the command exits 0 (eapol_test does only when every authentication in it
 * was accepted).  Output is one line of key=value pairs on stdout:
 *
 *   jobs failed auths wall_s             what ran, and how long it took (CLOCK_MONOTONIC)
 *   radiusd_ticks                        utime+stime of RADIUSD_PID (/proc/PID/stat, clock ticks)
 *   radiusd_ns                           the same from the per-thread scheduler statistics
 *                                        (/proc/PID/task/x/schedstat, ns): a finer cross-check
 *   client_user_s client_sys_s           CPU of the jobs (wait4() rusage, all descendants)
 *   job_p50_ms job_p95_ms job_max_ms     time from a job's start to its end
 *   first_failed                         line number of the first failed job (0 if none)
 *
 * A C program rather than a shell loop so that the harness adds almost nothing to the CPU
 * it measures, and so that the clients' CPU comes exactly from wait4() rather than from
 * clock-tick sampling.  The jobs' output goes to /dev/null, or to KEEP_DIR/line-N.out for
 * the jobs that failed when -k is given.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PARALLEL 4096
#define MAX_ARGS 64

typedef struct {
	unsigned int	auths;
	char		*argv[MAX_ARGS + 1];
} job_t;

typedef struct {
	pid_t		pid;		//!< 0 when the slot is free.
	size_t		job;
	double		start;
} slot_t;

static void die(char const *what)
{
	fprintf(stderr, "bench_load: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/** utime + stime of a process, all threads included, in clock ticks. */
static unsigned long long proc_ticks(pid_t pid)
{
	char path[64], buf[4096], *p;
	unsigned long long utime = 0, stime = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0) die(path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) die(path);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: fields count from the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) {
		fprintf(stderr, "bench_load: cannot read %s\n", path);
		exit(1);
	}
	return utime + stime;
}

/** Time on CPU of every live thread of a process, in ns, or 0 if the kernel does not say. */
static unsigned long long proc_sched_ns(pid_t pid)
{
	char path[PATH_MAX];
	unsigned long long total = 0;
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir) return 0;
	while ((de = readdir(dir))) {
		unsigned long long ns;
		FILE *fp;

		if (de->d_name[0] == '.') continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat", (int)pid, de->d_name);
		fp = fopen(path, "r");
		if (!fp) continue;		/* the thread just ended */
		if (fscanf(fp, "%llu", &ns) == 1) total += ns;
		fclose(fp);
	}
	closedir(dir);
	return total;
}

static job_t *read_jobs(char const *path, size_t *njobs)
{
	FILE *fp = fopen(path, "r");
	job_t *jobs = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL;
	size_t linecap = 0;
	ssize_t len;

	if (!fp) die(path);
	while ((len = getline(&line, &linecap, fp)) > 0) {
		char *save = NULL, *tok;
		unsigned int argc = 0;
		job_t *job;

		if (line[len - 1] == '\n') line[len - 1] = '\0';
		if (!line[0]) continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			jobs = realloc(jobs, cap * sizeof(*jobs));
			if (!jobs) die("realloc");
		}
		job = &jobs[n];
		memset(job, 0, sizeof(*job));
		tok = strtok_r(line, "\t", &save);
		job->auths = tok ? (unsigned int)strtoul(tok, NULL, 10) : 0;
		while ((tok = strtok_r(NULL, "\t", &save))) {
			if (argc == MAX_ARGS) {
				fprintf(stderr, "bench_load: %s:%zu: more than %d arguments\n", path, n + 1, MAX_ARGS);
				exit(1);
			}
			job->argv[argc] = strdup(tok);
			if (!job->argv[argc++]) die("strdup");
		}
		if (!job->auths || !argc) {
			fprintf(stderr, "bench_load: %s:%zu: expected AUTHS<TAB>COMMAND[<TAB>ARG...]\n", path, n + 1);
			exit(1);
		}
		n++;
	}
	free(line);
	fclose(fp);
	if (!n) {
		fprintf(stderr, "bench_load: %s: no jobs\n", path);
		exit(1);
	}
	*njobs = n;
	return jobs;
}

static pid_t job_start(job_t const *job, size_t index, char const *keep_dir)
{
	pid_t pid = fork();

	if (pid < 0) die("fork");
	if (pid == 0) {
		char out[PATH_MAX];
		int null = open("/dev/null", O_RDWR), fd = null;

		if (keep_dir) {
			snprintf(out, sizeof(out), "%s/line-%zu.out", keep_dir, index + 1);
			fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		}
		if (null < 0 || fd < 0) _exit(126);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(job->argv[0], job->argv);
		_exit(127);
	}
	return pid;
}

static int cmp_double(void const *a, void const *b)
{
	double x = *(double const *)a, y = *(double const *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned long parallel = 1;
	pid_t radiusd = 0;
	char const *keep_dir = NULL;
	job_t *jobs;
	slot_t *slots;
	double *durations, t0, t1, client_user = 0, client_sys = 0;
	size_t njobs, next = 0, done = 0, failed = 0, first_failed = 0;
	unsigned long long auths = 0, ticks0, ticks1, ns0, ns1;
	int opt;

	while ((opt = getopt(argc, argv, "P:s:k:")) != -1) {
		switch (opt) {
		case 'P': parallel = strtoul(optarg, NULL, 10); break;
		case 's': radiusd = (pid_t)strtol(optarg, NULL, 10); break;
		case 'k': keep_dir = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || parallel < 1 || parallel > MAX_PARALLEL || radiusd <= 0) goto usage;

	jobs = read_jobs(argv[optind], &njobs);
	slots = calloc(parallel, sizeof(*slots));
	durations = calloc(njobs, sizeof(*durations));
	if (!slots || !durations) die("calloc");

	ticks0 = proc_ticks(radiusd);
	ns0 = proc_sched_ns(radiusd);
	t0 = now_s();
	while (done < njobs) {
		struct rusage ru;
		int status;
		pid_t pid;
		size_t s;

		for (s = 0; s < parallel && next < njobs; s++) {
			if (slots[s].pid) continue;
			slots[s].job = next;
			slots[s].start = now_s();
			slots[s].pid = job_start(&jobs[next], next, keep_dir);
			next++;
		}

		pid = wait4(-1, &status, 0, &ru);
		if (pid < 0) {
			if (errno == EINTR) continue;
			die("wait4");
		}
		for (s = 0; s < parallel && slots[s].pid != pid; s++);
		if (s == parallel) continue;		/* not one of ours */

		client_user += (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
		client_sys += (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
		durations[done] = now_s() - slots[s].start;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			auths += jobs[slots[s].job].auths;
			if (keep_dir) {
				char out[PATH_MAX];

				snprintf(out, sizeof(out), "%s/line-%zu.out", keep_dir, slots[s].job + 1);
				unlink(out);
			}
		} else {
			failed++;
			if (!first_failed || slots[s].job + 1 < first_failed) first_failed = slots[s].job + 1;
		}
		slots[s].pid = 0;
		done++;
	}
	t1 = now_s();
	ticks1 = proc_ticks(radiusd);
	ns1 = proc_sched_ns(radiusd);

	qsort(durations, njobs, sizeof(durations[0]), cmp_double);
	printf("jobs=%zu failed=%zu auths=%llu wall_s=%.3f radiusd_ticks=%llu radiusd_ns=%llu "
	       "client_user_s=%.3f client_sys_s=%.3f job_p50_ms=%.1f job_p95_ms=%.1f job_max_ms=%.1f first_failed=%zu\n",
	       njobs, failed, auths, t1 - t0, ticks1 - ticks0, ns1 >= ns0 ? ns1 - ns0 : 0,
	       client_user, client_sys, durations[njobs / 2] * 1e3, durations[(njobs * 95) / 100] * 1e3,
	       durations[njobs - 1] * 1e3, first_failed);
	return 0;

usage:
	fprintf(stderr, "usage: bench_load -P PARALLEL -s RADIUSD_PID [-k KEEP_DIR] JOBFILE\n");
	return 2;
}
