"""The complaint pages: list, detail with its actions, forms, settings; and extensions."""
