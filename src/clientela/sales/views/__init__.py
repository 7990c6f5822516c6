"""Pages of the sales app: the board, deals, purchases, pipeline settings;
`register_extensions` adds their panels, actions and search section to the pages of the apps
below (core.extensions)."""


def register_extensions() -> None:
    from clientela.sales.views import deal_extensions, purchase_extensions

    deal_extensions.register()
    purchase_extensions.register()
