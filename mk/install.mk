# ---------------------------------------------------------------- install
# Into a Debian-packaged FreeRADIUS.  An admin's existing file is never overwritten: ours is
# installed beside it as FILE.phonecert-new.  Enabling (symlinks) is left to the admin (README).
RADDB_FILES	:= mods-available/phonecert mods-available/eap-phonecert sites-available/check-eap-tls-phonecert \
		   policy.d/phonecert dictionary.phonecert phonecert/phonecert.conf phonecert/capf/README \
		   $(patsubst raddb/%,%,$(wildcard raddb/phonecert/manufacturing/*))

install: all
	install -D -m 0644 $(MODULE) $(DESTDIR)$(FR_LIBDIR)/rlm_phonecert.so
	install -D -m 0755 $(CLI) $(DESTDIR)$(PREFIX)/bin/phonecert
	@if [ -f doc/phonecert.1 ]; then install -D -m 0644 doc/phonecert.1 $(DESTDIR)$(PREFIX)/share/man/man1/phonecert.1; fi
	@set -e; for f in $(RADDB_FILES); do \
		dst=$(DESTDIR)$(FR_RADDB)/$$f; \
		if [ -e "$$dst" ] && ! cmp -s raddb/$$f "$$dst"; then \
			echo "install: keeping your $$dst; ours is $$dst.phonecert-new"; dst=$$dst.phonecert-new; fi; \
		install -D -m 0640 raddb/$$f "$$dst"; \
	done
	install -d -m 0750 $(DESTDIR)$(FR_RADDB)/phonecert/ca.d
	@if [ -z "$(DESTDIR)" ] && id freerad >/dev/null 2>&1; then \
		chown -R root:freerad $(FR_RADDB)/phonecert; chown freerad:freerad $(FR_RADDB)/phonecert/ca.d; fi

uninstall:
	rm -f $(DESTDIR)$(FR_LIBDIR)/rlm_phonecert.so $(DESTDIR)$(PREFIX)/bin/phonecert \
		$(DESTDIR)$(PREFIX)/share/man/man1/phonecert.1
	@for f in $(RADDB_FILES); do \
		dst=$(DESTDIR)$(FR_RADDB)/$$f; \
		rm -f "$$dst.phonecert-new"; \
		if [ -e "$$dst" ] && cmp -s raddb/$$f "$$dst"; then rm -f "$$dst"; else [ ! -e "$$dst" ] || echo "uninstall: keeping your edited $$dst"; fi; \
	done
	rm -f $(DESTDIR)$(FR_RADDB)/phonecert/ca.d/*.[0-9]
	-rmdir $(DESTDIR)$(FR_RADDB)/phonecert/ca.d $(DESTDIR)$(FR_RADDB)/phonecert/capf \
		$(DESTDIR)$(FR_RADDB)/phonecert/manufacturing $(DESTDIR)$(FR_RADDB)/phonecert 2>/dev/null
