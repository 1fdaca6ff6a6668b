# One image for every MediaShar process; docker-compose.yml picks the entry per service.
FROM node:20-bookworm-slim
WORKDIR /app
# espeak-ng: the built-in text-to-speech of alerts (Indonesian and English voices).
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# The web app (web/ → web/dist), served by the gateway.
RUN npm run build:web
# The server processes (gateway/, grpc/, workers/ → dist/), run with plain node.
RUN npm run build
# Mount points of the certificate volumes (docker-compose.yml), owned by the user that runs the
# processes, so a new named volume starts writable for the one-shot `certs` service.
RUN mkdir -p .certs .certs-ca && chown node:node .certs .certs-ca && chmod 700 .certs-ca
USER node
# 8080 gateway and 9094 Socket.IO are the published ones; the gRPC ports (mutual TLS) stay
# inside the compose network.
EXPOSE 8080 9091 9092 9093 9094
# Overridden per service in docker-compose.yml.
CMD ["node", "dist/gateway/main.js"]
