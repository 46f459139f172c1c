/**
 * @file coa_send.c
 * @brief The UDP side of "phonecert disconnect": send, retransmit, match and verify answers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "coa_send.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/** The switch's address as a sockaddr; false if addr is not an IP address. */
static bool target_sockaddr(pc_coa_target_t const *target, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, target->addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(target->port);
		*len = sizeof(*sin);
		return true;
	}
	if (inet_pton(AF_INET6, target->addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(target->port);
		*len = sizeof(*sin6);
		return true;
	}
	return false;
}

/** Whether from is exactly the switch's address and port. */
static bool same_peer(struct sockaddr_storage const *want, struct sockaddr_storage const *from)
{
	if (want->ss_family != from->ss_family) return false;
	if (want->ss_family == AF_INET) {
		struct sockaddr_in const *a = (struct sockaddr_in const *)want, *b = (struct sockaddr_in const *)from;

		return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
	}
	{
		struct sockaddr_in6 const *a = (struct sockaddr_in6 const *)want, *b = (struct sockaddr_in6 const *)from;

		return a->sin6_port == b->sin6_port && memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0;
	}
}

int pc_coa_send(pc_coa_target_t const *target, pc_coa_exchange_t *xs, unsigned int n,
		unsigned int *ignored, pc_error_t *last_refusal, pc_error_t *err)
{
	struct sockaddr_storage	peer;
	socklen_t		peer_len;
	long long		due[PC_COA_MAX_INFLIGHT];
	unsigned int		i, waiting = 0;
	int			fd;

	*ignored = 0;
	if (n > PC_COA_MAX_INFLIGHT) {
		pc_error_set(err, "%s: %u requests at once (at most %d)", target->addr, n, PC_COA_MAX_INFLIGHT);
		return -1;
	}
	if (!target_sockaddr(target, &peer, &peer_len)) {
		pc_error_set(err, "%s: not an IP address", target->addr);
		return -1;
	}
	fd = socket(peer.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		pc_error_set(err, "%s: socket: %s", target->addr, strerror(errno));
		return -1;
	}

	for (i = 0; i < n; i++) {
		xs[i].state = PC_COA_WAITING;
		xs[i].sent = 0;
		due[i] = 0;		/* Send at once. */
		waiting++;
	}

	while (waiting) {
		long long	now = now_ms(), next = -1;
		struct pollfd	pfd = { .fd = fd, .events = POLLIN };
		int		rc;

		/* (Re)transmit whatever is due; give up on what has had all its tries. */
		for (i = 0; i < n; i++) {
			if (xs[i].state != PC_COA_WAITING) continue;
			if (due[i] <= now) {
				if (xs[i].sent > target->retries) {
					xs[i].state = PC_COA_TIMEOUT;
					waiting--;
					continue;
				}
				/* A lost datagram is what retransmission is for: ignore send errors. */
				(void)sendto(fd, xs[i].req.data, xs[i].req.len, 0, (struct sockaddr *)&peer, peer_len);
				xs[i].sent++;
				due[i] = now + target->timeout_ms;
			}
			if (next < 0 || due[i] < next) next = due[i];
		}
		if (!waiting) break;

		rc = poll(&pfd, 1, next > now ? (int)(next - now) : 0);
		if (rc < 0) {
			if (errno == EINTR) continue;
			pc_error_set(err, "%s: poll: %s", target->addr, strerror(errno));
			close(fd);
			return -1;
		}
		if (rc == 0) continue;

		for (;;) {
			uint8_t			buf[PC_RADIUS_MAX_LEN + 1];
			struct sockaddr_storage	from;
			socklen_t		from_len = sizeof(from);
			pc_radius_answer_t	answer;
			pc_error_t		why;
			ssize_t			got;
			bool			matched = false;

			got = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &from_len);
			if (got < 0) break;	/* EAGAIN, or an ICMP error for an earlier datagram. */
			if (!same_peer(&peer, &from)) {
				(*ignored)++;
				pc_error_set(last_refusal, "a datagram from another address or port");
				continue;
			}
			why.msg[0] = '\0';
			for (i = 0; i < n; i++) {
				if (xs[i].state != PC_COA_WAITING || got < 2 || xs[i].req.data[1] != buf[1]) continue;
				if (pc_radius_answer_check(&xs[i].req, buf, (size_t)got, target->secret,
							   target->secret_len, &answer, &why) == 0) {
					xs[i].answer = answer;
					xs[i].state = PC_COA_ANSWERED;
					waiting--;
					matched = true;
				}
				break;
			}
			if (!matched) {
				(*ignored)++;
				if (why.msg[0]) pc_error_set(last_refusal, "%s", why.msg);
				else pc_error_set(last_refusal, "an answer to no request waiting");
			}
		}
	}
	close(fd);
	return 0;
}
