# ---------------------------------------------------------------- FreeRADIUS releases
# The module built and tested on each FreeRADIUS release Debian ships (tests/matrix/run.sh):
# Debian 11 (3.0.21, OpenSSL 1.1.1), 12 (3.2.1), 12 backports (3.2.7), 13 (3.2.7, OpenSSL 3.5),
# each in a debootstrap chroot with its own packages, cached in $(BUILD)/matrix.  As root.
#
#   make test-matrix                            all four legs: make all pki test-unit test-integration
#   make test-matrix MATRIX="bookworm trixie"   some of them
#   make test-matrix MATRIX_FRESH=yes           chroots made anew (a cold cache)

.PHONY: test-matrix
test-matrix:
	MATRIX='$(MATRIX)' MATRIX_FRESH='$(MATRIX_FRESH)' tests/matrix/run.sh $(BUILD)
