# syntax=docker/dockerfile:1
# One image for every service; the command chooses which: node dist/api.js | projector.js |
# worker.js | migrate.js | api-keys.js. Build: docker build --build-arg CONVENE_COMMIT=$(git rev-parse --short HEAD) .
ARG NODE_IMAGE=node:24-bookworm-slim

# Stage 1: every dependency (dev included), then the sources, then `npm run build` (esbuild -> dist/).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first: this layer and `npm ci` are reused until a package.json or the lock changes.
COPY package.json package-lock.json ./
COPY packages/db/package.json packages/db/
COPY packages/domain/package.json packages/domain/
COPY packages/eventstore/package.json packages/eventstore/
COPY packages/projections/package.json packages/projections/
COPY packages/object-store/package.json packages/object-store/
COPY packages/runtime/package.json packages/runtime/
COPY packages/testkit/package.json packages/testkit/
COPY packages/client/package.json packages/client/
COPY services/api/package.json services/api/
COPY services/projector/package.json services/projector/
COPY services/worker/package.json services/worker/
COPY scripts/bench/package.json scripts/bench/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY services services
COPY scripts scripts
RUN npm run build

# Stage 2: production dependencies only (no TypeScript, jest, tsx or test containers).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/packages/db/package.json packages/db/
COPY --from=build /app/packages/domain/package.json packages/domain/
COPY --from=build /app/packages/eventstore/package.json packages/eventstore/
COPY --from=build /app/packages/projections/package.json packages/projections/
COPY --from=build /app/packages/object-store/package.json packages/object-store/
COPY --from=build /app/packages/runtime/package.json packages/runtime/
COPY --from=build /app/packages/testkit/package.json packages/testkit/
COPY --from=build /app/services/api/package.json services/api/
COPY --from=build /app/services/projector/package.json services/projector/
COPY --from=build /app/services/worker/package.json services/worker/
COPY --from=build /app/scripts/bench/package.json scripts/bench/
# No optional dependencies: the embedded PostgreSQL binaries are for `npm start`, not an image.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Stage 3: what runs. Non-root (the image's `node` user), plain node on the build.
FROM ${NODE_IMAGE}
ARG CONVENE_COMMIT=unknown
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 CONVENE_COMMIT=${CONVENE_COMMIT}
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/dist dist
COPY --chown=root:root migrations migrations
USER node
EXPOSE 3000 3001 3002
# The api's readiness; compose overrides it for the worker (:3001) and projector (:3002).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/api.js"]
