# One image for every service; the command chooses which (api, projector, worker).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY services services
COPY scripts scripts
COPY migrations migrations
COPY openapi openapi
RUN npm ci --no-audit --no-fund --omit=optional || npm ci --no-audit --no-fund
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["npx", "tsx", "services/api/src/main.ts"]
