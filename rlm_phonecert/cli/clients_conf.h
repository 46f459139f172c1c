/**
 * @file clients_conf.h
 * @brief The shared secrets of the switches, read from FreeRADIUS's clients configuration.
 *
 * Reads `client NAME { ipaddr = ...  secret = ... }` sections (also ipv4addr, ipv6addr,
 * CIDR prefixes, a client named by its address, `clients NAME { client ... }` groups),
 * quoted and unquoted values, '#' comments, and `$INCLUDE` / `$-INCLUDE` of files and
 * directories (relative to the including file's directory).  Any other section, and any
 * section nested in a client (limit { }...), is skipped by counting its braces.
 *
 * What it does not do: expand ${variables} (an include that uses one is an error, naming
 * the line), resolve host names (a client whose ipaddr is a name is an error), or follow
 * `$INCLUDE` inside a skipped section.
 *
 * Fail closed: a file that cannot be read, an unterminated string or section, a stray '}',
 * a client without an address or secret, or two clients with the same address are errors
 * naming the file and line.  Secrets are kept in memory only; no message contains one.
 */
#ifndef PHONECERT_CLI_CLIENTS_CONF_H
#define PHONECERT_CLI_CLIENTS_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <talloc.h>

#include <phonecert/error.h>

typedef struct {
	char const	*name;		//!< client NAME.
	char const	*file;		//!< Where it is defined (for reports).
	unsigned int	line;
	int		family;		//!< AF_INET or AF_INET6.
	uint8_t		addr[16];	//!< Network byte order; 4 bytes used for AF_INET.
	unsigned int	prefix;		//!< Prefix length (32 or 128 for one address).
	uint8_t const	*secret;	//!< Not NUL-terminated for the caller's purposes: use secret_len.
	size_t		secret_len;
} pc_clients_entry_t;

typedef struct {
	pc_clients_entry_t	*entries;	//!< In file order, under the pc_clients_t.
	unsigned int		count;
} pc_clients_t;

/**
 * Read a clients configuration file (and what it includes).
 * @return 0 with *out allocated under ctx; -1 with err = "FILE:LINE: reason" (or "FILE: reason").
 */
int pc_clients_load(TALLOC_CTX *ctx, char const *path, pc_clients_t **out, pc_error_t *err) PC_MUST_CHECK;

/**
 * The client whose address or prefix contains addr (text, IPv4 or IPv6), the longest
 * prefix winning; NULL when none does or addr is not an address.  Lives as long as clients.
 */
pc_clients_entry_t const *pc_clients_find(pc_clients_t const *clients, char const *addr);

#endif
