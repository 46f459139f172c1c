# ---------------------------------------------------------------- docker
# The container image (docker/Dockerfile): Debian 12's FreeRADIUS with the module, no compiler.
#
#   make docker-check     build the image; its smoke stage runs radiusd -XC, a Status-Server and
#                         EAP-TLS authentications inside the build, so a broken image fails here
#   make docker-image     the same build, tagged rlm-phonecert:latest
#
# ENGINE=docker|podman chooses the engine (default: docker if installed); docker/README.md.
DOCKER_IMAGE	?= rlm-phonecert:latest

.PHONY: docker-check docker-image
docker-check:
	docker/check.sh rlm-phonecert:check

docker-image:
	docker/check.sh $(DOCKER_IMAGE)
