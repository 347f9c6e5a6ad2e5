# A Python worker on a slim image, pinned dependencies, non-root.
FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY worker ./worker
RUN useradd --uid 10001 --no-create-home worker
USER 10001
HEALTHCHECK CMD ["python", "-m", "worker.health"]
CMD ["python", "-m", "worker"]
