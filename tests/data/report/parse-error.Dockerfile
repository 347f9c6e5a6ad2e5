FROM alpine:3.20
LABEL maintainer
RUN apk add curl \

    jq
USER 65532
