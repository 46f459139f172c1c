/**
 * @file device.c
 * @brief Phone device names (SEP<MAC>, CP-<model>-SEP<MAC>) and MAC address notations.
 */
#include <ctype.h>
#include <string.h>

#include <phonecert/device.h>

static bool is_hex(unsigned char c)
{
	return isxdigit(c) != 0;
}

/** "SEP" followed by exactly 12 hex digits and nothing else. */
static bool parse_sep(char const *p, size_t len, pc_device_t *out)
{
	size_t i;

	if (len != 15 || memcmp(p, "SEP", 3) != 0) return false;
	for (i = 3; i < 15; i++) {
		if (!is_hex((unsigned char)p[i])) return false;
	}
	memcpy(out->name, "SEP", 3);
	for (i = 0; i < 12; i++) {
		char c = (char)toupper((unsigned char)p[3 + i]);

		out->name[3 + i] = c;
		out->mac[i] = c;
	}
	out->name[15] = '\0';
	out->mac[12] = '\0';
	return true;
}

bool pc_device_from_cn(char const *cn, size_t len, pc_device_t *out)
{
	pc_device_t dev;
	size_t i, model_end;

	memset(&dev, 0, sizeof(dev));
	if (!cn || len == 0 || len > PC_CN_MAX) return false;
	if (memchr(cn, '\0', len)) return false;

	if (parse_sep(cn, len, &dev)) goto found;

	/* CP-<model>-SEP<MAC>: the model is letters and digits ("8861", "7961G"). */
	if (len < 3 + 1 + 1 + 15 || memcmp(cn, "CP-", 3) != 0) return false;
	model_end = len - 16;				/* index of the '-' before SEP */
	if (cn[model_end] != '-') return false;
	for (i = 3; i < model_end; i++) {
		if (!isalnum((unsigned char)cn[i])) return false;
	}
	if (model_end >= sizeof(dev.model)) return false;
	if (!parse_sep(cn + model_end + 1, 15, &dev)) return false;
	memcpy(dev.model, cn, model_end);
	dev.model[model_end] = '\0';

found:
	memcpy(out->name, dev.name, sizeof(dev.name));
	memcpy(out->mac, dev.mac, sizeof(dev.mac));
	memcpy(out->model, dev.model, sizeof(dev.model));
	return true;
}

/** Copy a printable, space-free token of at most outlen-1 bytes. */
static bool copy_token(char const *p, size_t len, char *out, size_t outlen)
{
	size_t i;

	if (len == 0 || len >= outlen) return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c <= ' ' || c > '~') return false;
	}
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

bool pc_device_parse_serial_number(char const *value, size_t len, pc_device_t *out)
{
	char const *space, *end;
	char pid[sizeof(out->pid)] = "", sn[sizeof(out->sn)] = "";	/* copied whole: no stack bytes */

	if (!value || len < 8 || memcmp(value, "PID:", 4) != 0) return false;
	end = value + len;
	space = memchr(value, ' ', len);
	if (!space || (size_t)(end - space) < 5 || memcmp(space + 1, "SN:", 3) != 0) return false;
	if (!copy_token(value + 4, (size_t)(space - value - 4), pid, sizeof(pid))) return false;
	if (!copy_token(space + 4, (size_t)(end - space - 4), sn, sizeof(sn))) return false;

	memcpy(out->pid, pid, sizeof(pid));
	memcpy(out->sn, sn, sizeof(sn));
	return true;
}

/** Read groups of hex digits of the given size separated by sep. */
static bool read_groups(char const *text, char sep, size_t group, size_t groups, char out[13])
{
	char const *p = text;
	size_t g, i, n = 0;

	for (g = 0; g < groups; g++) {
		if (g > 0 && *p++ != sep) return false;
		for (i = 0; i < group; i++, p++) {
			if (!is_hex((unsigned char)*p)) return false;
			out[n++] = (char)toupper((unsigned char)*p);
		}
	}
	if (*p != '\0') return false;
	out[12] = '\0';
	return true;
}

bool pc_mac_normalise(char const *text, char out[13])
{
	char mac[13];
	bool ok;

	if (!text) return false;
	switch (strlen(text)) {
	case 17:
		ok = read_groups(text, text[2], 2, 6, mac) && (text[2] == '-' || text[2] == ':');
		break;

	case 14:
		ok = read_groups(text, '.', 4, 3, mac);
		break;

	case 12:
		ok = read_groups(text, '\0', 12, 1, mac);
		break;

	default:
		ok = false;
		break;
	}
	if (ok) memcpy(out, mac, sizeof(mac));
	return ok;
}

void pc_mac_format(char const mac[13], char out[18])
{
	size_t i, n = 0;

	for (i = 0; i < 12; i++) {
		if (i > 0 && (i % 2) == 0) out[n++] = ':';
		out[n++] = mac[i];
	}
	out[n] = '\0';
}
