# ---------------------------------------------------------------- install
# Into a Debian-packaged FreeRADIUS 3.2: the module into FreeRADIUS's module directory, the CLI
# into $(PREFIX)/bin, the raddb files into $(FR_RADDB), all under $(DESTDIR).  The rules (never
# overwrite an admin's file, enable only what lets radiusd start, the dictionary line, what
# uninstall keeps and when it refuses) are spelled out at the top of mk/install.sh.
#
#   make install                          install; enable the module once the eap module allows it
#   make install PHONECERT_ENABLE=no      install only (yes: link the module even so)
#   make uninstall                        PHONECERT_FORCE=yes removes even what the config still uses
#   make test-install                     the above against a staged copy of /etc/freeradius/3.0

# radiusd loads modules from its libdir only, whatever PREFIX is.
FR_MODDIR	?= $(FR_LIBDIR)
FR_LOGDIR	?= /var/log/freeradius
FR_USER		?= freerad
FR_GROUP	?= freerad
PHONECERT_ENABLE ?= auto
PHONECERT_FORCE	?= no

INSTALL_ENV	= SRC='$(CURDIR)' DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' FR_MODDIR='$(FR_MODDIR)' \
		  FR_RADDB='$(FR_RADDB)' FR_LOGDIR='$(FR_LOGDIR)' FR_USER='$(FR_USER)' FR_GROUP='$(FR_GROUP)' \
		  MODULE='$(MODULE)' CLI='$(CLI)' PHONECERT_ENABLE='$(PHONECERT_ENABLE)' \
		  PHONECERT_FORCE='$(PHONECERT_FORCE)' FR_RADIUSD='$(FR_RADIUSD)'

# install.sh refuses a radiusd of another FreeRADIUS release than the module's, which would
# refuse the module: it reads the release from the module's magic number (x.y.z), or where it
# cannot (no readelf), from this record, written from the headers right after the module is
# built (scripts/fr-version.sh).  FR_RADIUSD: the radiusd to compare with (default: freeradius
# or radiusd on PATH).
FR_RADIUSD	?=
FR_BUILT	:= $(MODULE:.so=.fr-version)
module: $(FR_BUILT)
$(FR_BUILT): $(MODULE)
	scripts/fr-version.sh $(FR_INC) >$@.tmp && mv $@.tmp $@

.PHONY: test-install
install: $(MODULE) $(CLI) $(FR_BUILT)
	@$(INSTALL_ENV) mk/install.sh install

uninstall:
	@$(INSTALL_ENV) mk/install.sh uninstall

# A staged copy of Debian's /etc/freeradius/3.0: install, enable as an admin would, a real
# EAP-TLS authentication with eapol_test, uninstall, and compare the tree with the start.
test-install: $(MODULE) $(CLI) $(FR_BUILT) $(BUILD)/pki/.stamp
	tests/install/run.sh $(BUILD)
