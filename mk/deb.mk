# ---------------------------------------------------------------- Debian package
# make deb        build/deb/freeradius-phonecert_VERSION_ARCH.deb from debian/ (dpkg-buildpackage,
#                 in a copy of the tree under build/deb/), then lintian on it (fails on an error)
# make test-deb   install it with apt in a Debian 12 chroot (debootstrap, cached under
#                 build/deb-test/), enable it as the README says, admit an eapol_test phone, then
#                 offer apt the bookworm-backports FreeRADIUS and check radiusd still starts
.PHONY: deb test-deb
deb:
	mk/deb.sh $(BUILD)

test-deb: deb $(BUILD)/pki/.stamp
	tests/deb/run.sh $(BUILD)
