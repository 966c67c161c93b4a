# syntax=docker/dockerfile:1
#
# One image per Keyward service, built from the same stages:
#   docker build --build-arg SERVICE=identity    -t keyward-identity .
#   docker build --build-arg SERVICE=credentials -t keyward-credentials .
#   docker build --build-arg SERVICE=reaper      -t keyward-reaper .
#   docker build --build-arg SERVICE=gateway     -t keyward-gateway .
# or one image and the service chosen by command: `docker run ... keyward-gateway identity`
# (then also set KEYWARD_SERVICE=identity, which the image's health check reads).
# docker-compose.yml builds and runs the four with PostgreSQL and NATS.

ARG NODE_IMAGE=node:20-bookworm-slim

# Dependencies, the TypeScript build and the web console's Vite build (dist/console, which the
# gateway serves at /); dev dependencies and the optional embedded PostgreSQL (used only by
# `npm start` on a developer machine) are dropped afterwards.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build \
 && npm prune --omit=dev --omit=optional --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    KEYWARD_HOST=0.0.0.0 \
    KEYWARD_PORT=8228 \
    KEYWARD_DATA_DIR=/var/lib/keyward \
    TS_NODE_BASEURL=/app/dist \
    TS_NODE_PROJECT=/app/tsconfig.json
WORKDIR /app
# Everything stays owned by root and read-only to the service's user.
COPY --from=build /app/package.json /app/tsconfig.json /app/tsconfig.base.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY tools/lib/stack.mjs ./tools/lib/stack.mjs
COPY tools/healthcheck.mjs ./tools/healthcheck.mjs
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
COPY deploy/docker-entrypoint.sh /usr/local/bin/keyward-service
# identity writes a generated admin password here on first start (mount a volume on it).
RUN mkdir -p /var/lib/keyward && chown node:node /var/lib/keyward && chmod 0700 /var/lib/keyward
USER node
EXPOSE 8228
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/app/deploy/healthcheck.mjs"]
ENTRYPOINT ["keyward-service"]
CMD []
# Last, so the services share every layer above.
ARG SERVICE=gateway
ENV KEYWARD_SERVICE=${SERVICE}
