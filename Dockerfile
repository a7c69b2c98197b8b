# nyxCore: a static binary on a minimal, non-root, shell-less image.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t nyxcore .
#   docker run -d -p 8090:8090 -v nyx_data:/data nyxcore
#
# The web app is the committed build in embed/dist (Go never needs Node).
# To rebuild it from ui/ inside the image build instead:
#   docker build --build-arg WEB=fresh -t nyxcore .
# deploy/deploy_test.go checks this file against the code (`make test`).

# committed (default) or fresh: which web build goes into the binary.
ARG WEB=committed

FROM scratch AS web-committed
COPY embed/dist /dist

FROM node:22-bookworm-slim AS web-fresh
WORKDIR /src/ui
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ui/ ./
RUN npm run build && mv /src/embed/dist /dist

FROM web-${WEB} AS web

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN rm -rf embed/dist
COPY --from=web /dist ./embed/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/nyxcore/nyxcore/app/command.Version=${VERSION}" -o /out/nyxcore . \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="nyxCore" \
      org.opencontainers.image.description="Self-hosted, multi-tenant AI workspace in one binary" \
      org.opencontainers.image.source="https://github.com/nyxcore/nyxcore" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/nyxcore /nyxcore
COPY --from=build --chown=65532:65532 /out/data /data
# Listen on every interface inside the container; the data dir is the volume.
ENV NYX_DIR=/data NYX_HTTP=0.0.0.0:8090
VOLUME /data
EXPOSE 8090
# distroless "nonroot" (65532), by number so runtimes can verify it is not root.
USER 65532:65532
# No shell or curl in the image: the binary probes itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/nyxcore", "healthcheck"]
# The server marks running turns interrupted within about 3 s of SIGTERM.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/nyxcore"]
CMD ["serve"]
