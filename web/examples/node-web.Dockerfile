# A Node.js web app, the way many start: one stage, root, dev dependencies.
FROM node:18
WORKDIR /usr/src/app
COPY . .
RUN npm install
ENV NODE_ENV=development
EXPOSE 3000
CMD npm start
