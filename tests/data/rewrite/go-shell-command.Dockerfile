FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
ENV PORT=8080
EXPOSE 8080
HEALTHCHECK CMD wget -qO- http://localhost:$PORT/health || exit 1
CMD /bin/app --port $PORT
