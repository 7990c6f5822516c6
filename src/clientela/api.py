"""The JSON API root: every app's router is mounted here under /api/v1/."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Clientela API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)
