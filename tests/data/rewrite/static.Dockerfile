FROM node:22 AS build
WORKDIR /site
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginx:1.27
COPY --from=build /site/dist /usr/share/nginx/html
EXPOSE 8080
