"""The GraphQL API (strawberry on Starlette, served by uvicorn)."""
