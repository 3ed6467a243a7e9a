# localvault: a Vault-compatible dev server. Build: docker build -t localvault .
# Run: docker run --rm -p 8200:8200 -e VAULT_DEV_ROOT_TOKEN_ID=root localvault

FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY bin ./bin
# npm ci's prepare step builds: tsc, then the start-up bundle (scripts/bundle.mjs).
COPY scripts ./scripts
RUN npm ci --ignore-scripts=false --no-audit --no-fund \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    VAULT_DEV_LISTEN_ADDRESS=0.0.0.0:8200
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/src ./dist/src
COPY --from=build --chown=node:node /app/bin ./bin
USER node
EXPOSE 8200
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8200/v1/sys/health').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/localvault.js", "server", "-dev"]
