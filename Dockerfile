# The socket server (ECS Fargate). Build from the repository root: docker build -t place-socket .
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY core ./core
COPY lambdas ./lambdas
COPY socket-server ./socket-server
COPY bin ./bin
RUN npx esbuild bin/socket-server.ts --bundle --platform=node --target=node24 --format=esm --keep-names \
      --outfile=dist/socket-server.mjs \
      --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url);"

# The same Node major as the Lambda functions (NODEJS_24_X).
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=8081 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/dist/socket-server.mjs ./socket-server.mjs
USER node
EXPOSE 8081
# SIGTERM starts the drain (SOCKET_DRAIN_MS); ECS's stopTimeout must be longer.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "socket-server.mjs"]
