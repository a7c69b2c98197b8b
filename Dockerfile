# Static nyxCore binary on a minimal, non-root image.
#   docker build -t nyxcore . && docker run -p 8090:8090 -v nyx:/data nyxcore
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/nyxcore/nyxcore/app/command.Version=${VERSION}" \
      -o /out/nyxcore . \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/nyxcore /nyxcore
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV NYX_DIR=/data NYX_HTTP=0.0.0.0:8090
VOLUME /data
EXPOSE 8090
USER nonroot
ENTRYPOINT ["/nyxcore"]
CMD ["serve"]
