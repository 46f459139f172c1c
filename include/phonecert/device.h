/**
 * @file phonecert/device.h
 * @brief A phone's identity as written in its certificate, and MAC address normalisation.
 *
 * Cisco writes the device name as the whole CN ("SEP001E7AC3D1AB") or as the tail of
 * "CP-<model>-SEP<MAC>" ("CP-8861-SEPB000B4BA0AEE"); the subject may also carry
 * "serialNumber=PID:CP-8861 SN:FCH2133E8B9".  Nothing else is a phone.
 */
#ifndef PHONECERT_DEVICE_H
#define PHONECERT_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

/** Longest CN we consider (X.520 ub-common-name). */
#define PC_CN_MAX 64

typedef struct {
	char	name[16];	//!< "SEP" + 12 upper-case hex digits.
	char	mac[13];	//!< The 12 hex digits, upper case, no separators.
	char	model[24];	//!< "CP-8861", or "" for the bare SEP form.
	char	pid[40];	//!< "CP-8861" from serialNumber=PID:..., or "".
	char	sn[40];		//!< "FCH2133E8B9" from serialNumber=... SN:..., or "".
} pc_device_t;

/**
 * Recognise a phone device name in a common name of len bytes (the CN need not be
 * NUL-terminated; an embedded NUL makes it not a phone).
 *
 * @return true and fill name, mac and model if cn is a phone's; false otherwise.
 */
bool pc_device_from_cn(char const *cn, size_t len, pc_device_t *out);

/**
 * Read "PID:<pid> SN:<sn>" (the subject's serialNumber attribute) into out->pid/out->sn.
 * @return false (leaving them empty) if the value has another shape.
 */
bool pc_device_parse_serial_number(char const *value, size_t len, pc_device_t *out);

/**
 * Normalise a MAC address written as 00-11-22-33-44-55, 00:11:22:33:44:55, 0011.2233.4455 or
 * 001122334455 (any case) to 12 upper-case hex digits in out (13 bytes with the NUL).
 * Mixed separators, wrong group sizes and trailing text are refused.
 */
bool pc_mac_normalise(char const *text, char out[13]);

/** Format 12 hex digits as "B0:00:B4:BA:0A:EE" into out (18 bytes). */
void pc_mac_format(char const mac[13], char out[18]);

#endif
