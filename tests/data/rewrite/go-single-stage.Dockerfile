# A Go service built and run in one stage.
FROM golang:1.21
WORKDIR /app
COPY . .
RUN go build -o server .
ENV PORT=8080
EXPOSE 8080
CMD ./server
