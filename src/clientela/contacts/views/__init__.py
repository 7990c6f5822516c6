"""Server-rendered pages for contacts and companies (see urls.py for the map)."""
