# One image for every MediaShar process; docker-compose.yml picks the entry per service.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
EXPOSE 8080 9091 9092 9093 9094
# Overridden per service in docker-compose.yml.
CMD ["node", "--import", "tsx", "gateway/main.ts"]
