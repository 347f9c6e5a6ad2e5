FROM debian:12-slim
COPY bin/agent /usr/local/bin/agent
VOLUME /data
STOPSIGNAL SIGINT
USER 1000
ENTRYPOINT ["/usr/local/bin/agent"]
CMD ["--config", "/etc/agent.yaml"]
