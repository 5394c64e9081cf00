# syntax=docker/dockerfile:1
# One image for every Herald process. The default CMD runs the api; compose
# and k8s override the command for the gateway and for migrations:
#   gateway:  node dist/apps/gateway/src/main.js   (PORT=3001)
#   worker:   node dist/apps/worker/src/main.js    (PORT=3002)
#   migrate:  node dist/libs/database/src/migrate.js (one shot, exits 0)
ARG NODE_IMAGE=node:20-bookworm-slim

# All dependencies, cached on the lockfile alone so source edits skip this.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Production dependencies only, in their own stage so the runtime never sees
# the compiler or test tooling.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM deps AS build
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# package.json carries "type": "module", which dist/ needs to load as ESM.
# Everything the processes read at run time must be emitted into dist/ by
# `npm run build`; nothing else from the source tree is copied.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Files stay root-owned (read-only for the app); the app runs as `node`.
USER node
# 3000 api, 3001 gateway, 3002 worker; their metrics listeners (HERALD_METRICS_PORT) on 9464, 9465 and 9466.
EXPOSE 3000 3001 3002 9464 9465 9466
# Same port variable the process listens on, so one HEALTHCHECK fits the api
# and the gateway. Node 20 ships fetch, so no curl in the image.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
