# drydock ignore=DD003 -- kept for the legacy label scraper
MAINTAINER ops@example.com
# hadolint ignore=DL3007
FROM node:latest AS build
RUN npm ci
FROM node:22-alpine
COPY --from=build /app /app
CMD ["node", "/app/index.js"]
