# The graph_engine API. Used by docker-compose.yml next to Neo4j 5.26.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph_engine ./graph_engine
COPY queries ./queries
RUN pip install --no-cache-dir . && useradd --system --uid 10001 engine
USER engine
EXPOSE 8000
ENV GRAPH_ENGINE_HOST=0.0.0.0 GRAPH_ENGINE_PORT=8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=2).status != 200)"
CMD ["graph-engine", "serve"]
