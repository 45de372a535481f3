# One image for the ECS Fargate containers: the socket server (the default command), the writer
# service (`node writer.mjs`, infra/writer-service.ts), the restore job (`node rebuild.mjs`,
# infra/board-jobs.ts) and the export job (`node export.mjs`, infra/export-job.ts).
# Build from the repository root: docker build -t place-socket .
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY core ./core
COPY lambdas ./lambdas
COPY socket-server ./socket-server
COPY bin ./bin
# Each entry point bundled whole, with the Lambda bundles' esbuild settings (LAMBDA_BUNDLE in
# infra/http-functions.ts): class names kept (errors are logged by name), and aws-sdk as
# aws-sdk/global, all the Keyspaces SigV4 plugin needs of AWS SDK v2. sharp (the export's PNG and
# timelapse) is native, so it stays outside the bundles.
RUN for entry in socket-server writer rebuild export; do \
      npx esbuild bin/$entry.ts --bundle --platform=node --target=node24 --format=esm --keep-names \
        --alias:aws-sdk=aws-sdk/global --external:sharp --outfile=dist/$entry.mjs \
        --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url);" || exit 1; \
    done
# sharp and what it needs (its build for this platform, as npm ci installed it), beside the bundles
# (bundled, its native binary is not found, and its ESM entry's createRequire clashes with the banner's).
RUN npm query '#sharp, #sharp *' | node -e "for (const p of JSON.parse(require('fs').readFileSync(0, 'utf8'))) require('fs').cpSync(p.location, 'dist/' + p.location, { recursive: true })" \
  && cd dist/ && node -e "require('sharp')"

# The same Node major as the Lambda functions (NODEJS_24_X).
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=8081 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/dist/socket-server.mjs /app/dist/writer.mjs /app/dist/rebuild.mjs /app/dist/export.mjs ./
COPY --from=build /app/dist/node_modules ./node_modules
# The export task's writable folder (its DATA_DIR; the root filesystem is read-only): ECS fills the
# task's volume mounted at a VOLUME's path from the image, so the image's user may write there.
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8081
# SIGTERM starts the drain (SOCKET_DRAIN_MS); ECS's stopTimeout must be longer.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "socket-server.mjs"]
