FROM node:18
WORKDIR /usr/src/app
COPY . .
RUN npm ci --omit=dev
ENV NODE_ENV=production
EXPOSE 3000
HEALTHCHECK --interval=30s CMD ["node", "healthcheck.js"]
CMD ["node", "server.js"]
